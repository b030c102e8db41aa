import Fluent
import Foundation

/// An integrator's system that calls the /v1 API; it belongs to one organisation.
public final class ApplicationModel: Model, OrganisationOwned, @unchecked Sendable {
    public static let schema = "applications"
    public static var organisationKey: KeyPath<ApplicationModel, FieldProperty<ApplicationModel, UUID>> { \.$organisationID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "name") public var name: String
    @Field(key: "qps_limit") public var qpsLimit: Int
    /// CIDR blocks separated by spaces; empty means every address.
    @Field(key: "ip_allow_list") public var ipAllowListText: String
    @Field(key: "disabled") public var disabled: Bool
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(organisationID: UUID, name: String, qpsLimit: Int, ipAllowList: [String]) {
        self.organisationID = organisationID
        self.name = name
        self.qpsLimit = qpsLimit
        self.ipAllowListText = ipAllowList.joined(separator: " ")
        self.disabled = false
    }

    public var ipAllowList: [String] {
        get { ipAllowListText.split(separator: " ").map(String.init) }
        set { ipAllowListText = newValue.joined(separator: " ") }
    }
}

/// A SecretId/SecretKey pair. The key is needed in clear to check HMAC signatures, so it is
/// stored sealed with the data key (bound to its SecretId), never hashed and never in clear.
public final class CredentialModel: Model, OrganisationOwned, @unchecked Sendable {
    public static let schema = "credentials"
    public static var organisationKey: KeyPath<CredentialModel, FieldProperty<CredentialModel, UUID>> { \.$organisationID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "application_id") public var applicationID: UUID
    @Field(key: "secret_id") public var secretID: String
    @Field(key: "sealed_secret_key") public var sealedSecretKey: Data
    @Field(key: "status") public var status: String
    @OptionalField(key: "last_used_at") public var lastUsedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(application: ApplicationModel, secretID: String, sealedSecretKey: Data) throws {
        self.organisationID = application.organisationID
        self.applicationID = try application.requireID()
        self.secretID = secretID
        self.sealedSecretKey = sealedSecretKey
        self.status = CredentialStatus.active.rawValue
    }
}

public enum CredentialStatus: String, Codable, Sendable {
    case active, disabled
}

struct CreateApplications: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ApplicationModel.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(OrganisationModel.schema, .id))
            .field("name", .string, .required)
            .field("qps_limit", .int, .required)
            .field("ip_allow_list", .string, .required)
            .field("disabled", .bool, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema(CredentialModel.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(OrganisationModel.schema, .id))
            .field("application_id", .uuid, .required, .references(ApplicationModel.schema, .id, onDelete: .cascade))
            .field("secret_id", .string, .required)
            .field("sealed_secret_key", .data, .required)
            .field("status", .string, .required)
            .field("last_used_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "secret_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CredentialModel.schema).delete()
        try await database.schema(ApplicationModel.schema).delete()
    }
}
