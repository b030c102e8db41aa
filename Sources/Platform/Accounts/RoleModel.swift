import Fluent
import Foundation

/// A named set of permissions, defined in one organisation and usable there and below.
public final class RoleModel: Model, OrganisationOwned, @unchecked Sendable {
    public static let schema = "roles"
    public static var organisationKey: KeyPath<RoleModel, FieldProperty<RoleModel, UUID>> { \.$organisationID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "name") public var name: String
    /// Permission names joined by spaces: small, and the same on SQLite and PostgreSQL.
    @Field(key: "permissions") public var permissionList: String
    @Field(key: "built_in") public var builtIn: Bool
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(organisationID: UUID, name: String, permissions: [Permission], builtIn: Bool = false) {
        self.organisationID = organisationID
        self.name = name
        self.permissionList = Self.encode(permissions)
        self.builtIn = builtIn
    }

    public var permissions: [Permission] {
        get { permissionList.split(separator: " ").compactMap { Permission(rawValue: String($0)) } }
        set { permissionList = Self.encode(newValue) }
    }

    static func encode(_ permissions: [Permission]) -> String {
        Set(permissions).map(\.rawValue).sorted().joined(separator: " ")
    }
}

/// Which roles a user holds (in the user's own organisation and below).
public final class UserRoleModel: Model, @unchecked Sendable {
    public static let schema = "user_roles"

    @ID(key: .id) public var id: UUID?
    @Field(key: "user_id") public var userID: UUID
    @Field(key: "role_id") public var roleID: UUID

    public init() {}
    public init(userID: UUID, roleID: UUID) { self.userID = userID; self.roleID = roleID }
}

struct CreateRoles: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RoleModel.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(OrganisationModel.schema, .id))
            .field("name", .string, .required)
            .field("permissions", .string, .required)
            .field("built_in", .bool, .required)
            .field("created_at", .datetime)
            .unique(on: "organisation_id", "name")
            .create()
        try await database.schema(UserRoleModel.schema)
            .id()
            .field("user_id", .uuid, .required, .references(UserModel.schema, .id, onDelete: .cascade))
            .field("role_id", .uuid, .required, .references(RoleModel.schema, .id, onDelete: .cascade))
            .unique(on: "user_id", "role_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(UserRoleModel.schema).delete()
        try await database.schema(RoleModel.schema).delete()
    }
}
