import Fluent
import Foundation

/// A new database gets a root organisation, the built-in roles and one administrator whose
/// one-time password is shown once and must be changed at the first sign-in.
public enum FirstAdministrator {
    public static let username = "admin"

    public struct Created: Sendable {
        public var username: String
        public var oneTimePassword: String
    }

    /// Nil when the database already has users.
    public static func createIfNeeded(rootName: String = "Root organisation", on db: any Database) async throws -> Created? {
        guard try await UserModel.query(on: db).count() == 0 else { return nil }
        return try await db.writeTransaction { db in
            let root: OrganisationModel
            if let existing = try await OrganisationModel.query(on: db).filter(\.$parentID == nil).first() {
                root = existing
            } else {
                root = OrganisationModel(name: rootName, kind: .union, parent: nil)
                try await root.create(on: db)
            }
            let rootID = try root.requireID()
            var administrator: RoleModel?
            for builtIn in BuiltInRole.allCases {
                let role = RoleModel(organisationID: rootID, name: builtIn.rawValue, permissions: builtIn.permissions, builtIn: true)
                try await role.create(on: db)
                if builtIn == .administrator { administrator = role }
            }
            let password = PasswordPolicy.generateOneTime()
            let user = UserModel(organisationID: rootID, username: username, displayName: "Administrator",
                                 source: .local, passwordHash: try PasswordPolicy.hash(password))
            user.mustChangePassword = true
            try await user.create(on: db)
            try await UserRoleModel(userID: try user.requireID(), roleID: try administrator!.requireID()).create(on: db)
            try await AuditLog.record("user.create", by: .init(id: nil, name: "system", organisationID: rootID, ip: "local"),
                                      target: "user", id: user.id?.uuidString, on: db)
            return Created(username: username, oneTimePassword: password)
        }
    }
}

extension FirstAdministrator {
    /// Another administrator in the root organisation, for when the first one is lost.
    public static func createAdditional(username: String, on db: any Database) async throws -> Created {
        guard try await UserModel.query(on: db).filter(\.$username == username).count() == 0 else {
            throw PlatformFailure.conflict("user name '\(username)' is taken")
        }
        guard let root = try await OrganisationModel.query(on: db).filter(\.$parentID == nil).first(),
              let role = try await RoleModel.query(on: db).filter(\.$organisationID == root.requireID())
                .filter(\.$name == BuiltInRole.administrator.rawValue).first()
        else { throw PlatformFailure.notFound("root organisation or Administrator role") }
        let password = PasswordPolicy.generateOneTime()
        let user = UserModel(organisationID: try root.requireID(), username: username, displayName: username,
                             source: .local, passwordHash: try PasswordPolicy.hash(password))
        user.mustChangePassword = true
        try await user.create(on: db)
        try await UserRoleModel(userID: try user.requireID(), roleID: try role.requireID()).create(on: db)
        try await AuditLog.record("user.create", by: .init(id: nil, name: "veriface admin create", organisationID: try root.requireID(), ip: "local"),
                                  target: "user", id: user.id?.uuidString, on: db)
        return Created(username: username, oneTimePassword: password)
    }
}
