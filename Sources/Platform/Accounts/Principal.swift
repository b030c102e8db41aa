import Fluent
import Foundation

/// A signed-in console user with their permissions and visible organisations.
public struct Principal: Sendable {
    public var userID: UUID
    public var username: String
    public var displayName: String
    public var organisationID: UUID
    public var permissions: Set<Permission>
    public var scope: OrganisationScope

    public static func load(_ user: UserModel, on db: any Database) async throws -> Principal {
        let roleIDs = try await UserRoleModel.query(on: db).filter(\.$userID == user.requireID()).all(\.$roleID)
        let roles = try await RoleModel.query(on: db).filter(\.$id ~~ roleIDs).all()
        return Principal(
            userID: try user.requireID(), username: user.username, displayName: user.displayName,
            organisationID: user.organisationID, permissions: Set(roles.flatMap(\.permissions)),
            scope: try await OrganisationScope.of(organisationID: user.organisationID, on: db))
    }

    public func require(_ permission: Permission) throws {
        guard permissions.contains(permission) else {
            throw PlatformFailure.forbidden("permission '\(permission.rawValue)' is required")
        }
    }
}
