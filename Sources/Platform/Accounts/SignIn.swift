import Fluent
import Foundation
import SingleSignOn

/// Checks who is signing in: a local password, an LDAP bind, or an OIDC identity.
/// Directory users are created on their first sign-in, in the root organisation, with the
/// roles their groups map to; later sign-ins refresh the roles.
public struct SignIn: Sendable {
    let settings: PlatformSettings

    public init(settings: PlatformSettings) { self.settings = settings }

    public func local(username: String, password: String, on db: any Database) async throws -> UserModel {
        guard let user = try await UserModel.query(on: db).filter(\.$username == username).first(),
              user.source == AccountSource.local.rawValue, !user.disabled
        else {
            // Same work and answer for unknown users, so timing does not reveal which exist.
            _ = PasswordPolicy.verify(password, hash: Self.decoyHash)
            throw PlatformFailure.signInFailed
        }
        if user.isLocked() { throw PlatformFailure.accountLocked }
        guard let hash = user.passwordHash, PasswordPolicy.verify(password, hash: hash) else {
            user.failedSignIns += 1
            if user.failedSignIns >= PasswordPolicy.failuresBeforeLockout {
                user.lockedUntil = Date().addingTimeInterval(PasswordPolicy.lockoutDuration)
                user.failedSignIns = 0
                try await user.save(on: db)
                throw PlatformFailure.accountLocked
            }
            try await user.save(on: db)
            throw PlatformFailure.signInFailed
        }
        user.failedSignIns = 0
        user.lockedUntil = nil
        user.lastSignInAt = Date()
        try await user.save(on: db)
        return user
    }

    public func ldap(username: String, password: String, on db: any Database) async throws -> UserModel {
        guard let ldap = settings.ldap else { throw PlatformFailure.invalid("LDAP sign-in is not configured") }
        let identity: LDAPIdentity
        do {
            identity = try await LDAPDirectory(settings: ldap).authenticate(username: username, password: password)
        } catch LDAPError.invalidCredentials, LDAPError.invalidUsername {
            throw PlatformFailure.signInFailed
        }
        let roles = identity.groups.compactMap { settings.ldapGroupRoles[$0] }
        return try await provision(username: identity.username, displayName: identity.displayName ?? identity.username,
                                   source: .ldap, roleNames: roles, on: db)
    }

    public func oidc(_ identity: OIDCIdentity, on db: any Database) async throws -> UserModel {
        let username = identity.username ?? identity.email ?? "oidc:\(identity.subject)"
        let known = try await UserModel.query(on: db).filter(\.$username == username).count() > 0
        return try await provision(username: username, displayName: identity.name ?? username, source: .oidc,
                                   roleNames: known ? nil : settings.oidcDefaultRoles, on: db)
    }

    /// `roleNames` nil keeps the roles an administrator gave (OIDC carries no groups here).
    func provision(username: String, displayName: String, source: AccountSource, roleNames: [String]?,
                   on db: any Database) async throws -> UserModel {
        let user: UserModel
        if let existing = try await UserModel.query(on: db).filter(\.$username == username).first() {
            // A local account is never taken over by a directory user of the same name.
            guard existing.source == source.rawValue else { throw PlatformFailure.signInFailed }
            guard !existing.disabled else { throw PlatformFailure.signInFailed }
            user = existing
            user.displayName = displayName
        } else {
            guard let root = try await OrganisationModel.query(on: db).filter(\.$parentID == nil).first() else {
                throw PlatformFailure.notFound("root organisation")
            }
            user = UserModel(organisationID: try root.requireID(), username: username, displayName: displayName,
                             source: source, passwordHash: nil)
        }
        user.lastSignInAt = Date()
        try await user.save(on: db)
        if let roleNames {
            let roles = try await RoleModel.query(on: db).filter(\.$organisationID == user.organisationID).all()
                .filter { roleNames.contains($0.name) }
            try await UserRoleModel.query(on: db).filter(\.$userID == user.requireID()).delete()
            for role in roles { try await UserRoleModel(userID: try user.requireID(), roleID: try role.requireID()).create(on: db) }
        }
        return user
    }

    /// A bcrypt hash of a random string, verified against when the user does not exist.
    static let decoyHash: String = (try? PasswordPolicy.hash(PasswordPolicy.generateOneTime())) ?? ""
}
