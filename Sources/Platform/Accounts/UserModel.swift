import Fluent
import Foundation

/// A console account: local (bcrypt hash), or provisioned on first sign-in through LDAP or OIDC.
public final class UserModel: Model, OrganisationOwned, @unchecked Sendable {
    public static let schema = "users"
    public static var organisationKey: KeyPath<UserModel, FieldProperty<UserModel, UUID>> { \.$organisationID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    /// Unique across the platform: sign-in happens before anyone knows the organisation.
    @Field(key: "username") public var username: String
    @Field(key: "display_name") public var displayName: String
    @Field(key: "source") public var source: String
    @OptionalField(key: "password_hash") public var passwordHash: String?
    @Field(key: "must_change_password") public var mustChangePassword: Bool
    @Field(key: "disabled") public var disabled: Bool
    @Field(key: "failed_sign_ins") public var failedSignIns: Int
    @OptionalField(key: "locked_until") public var lockedUntil: Date?
    @OptionalField(key: "last_sign_in_at") public var lastSignInAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(organisationID: UUID, username: String, displayName: String, source: AccountSource, passwordHash: String?) {
        self.organisationID = organisationID
        self.username = username
        self.displayName = displayName
        self.source = source.rawValue
        self.passwordHash = passwordHash
        self.mustChangePassword = false
        self.disabled = false
        self.failedSignIns = 0
    }

    public func isLocked(at now: Date = Date()) -> Bool {
        guard let lockedUntil else { return false }
        return lockedUntil > now
    }
}

public enum AccountSource: String, Codable, Sendable {
    case local, ldap, oidc
}

struct CreateUsers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(UserModel.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(OrganisationModel.schema, .id))
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("source", .string, .required)
            .field("password_hash", .string)
            .field("must_change_password", .bool, .required)
            .field("disabled", .bool, .required)
            .field("failed_sign_ins", .int, .required)
            .field("locked_until", .datetime)
            .field("last_sign_in_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "username")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(UserModel.schema).delete()
    }
}
