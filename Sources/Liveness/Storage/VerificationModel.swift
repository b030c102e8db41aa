import Fluent
import Foundation
import Platform

/// One verification (one BizToken): what was asked, each attempt's outcome, the frames kept
/// and the callback's delivery. The token itself is never stored, only its SHA-256.
public final class VerificationModel: Model, OrganisationOwned, @unchecked Sendable {
    public static let schema = "liveness_verifications"
    public static var organisationKey: KeyPath<VerificationModel, FieldProperty<VerificationModel, UUID>> { \.$organisationID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "application_id") public var applicationID: UUID
    @Field(key: "scene_row") public var sceneRow: UUID
    @Field(key: "token_hash") public var tokenHash: String
    /// `VerificationState` raw value.
    @Field(key: "state") public var state: String
    /// The scene's rules when the verification started (later scene edits do not apply).
    @Field(key: "rules") public var rulesJSON: String
    /// The current attempt's challenge, JSON.
    @Field(key: "challenge") public var challengeJSON: String
    @Field(key: "attempts") public var attempts: Int
    /// The reference SFace feature, sealed (bound to the row id); nil without a reference.
    @OptionalField(key: "sealed_reference") public var sealedReference: Data?
    @OptionalField(key: "reference_person") public var referencePerson: String?
    @OptionalField(key: "external_user_id") public var externalUserID: String?
    @OptionalField(key: "redirect_url") public var redirectURL: String?
    @OptionalField(key: "extra") public var extra: String?
    @Field(key: "expires_at") public var expiresAt: Date
    @OptionalField(key: "started_at") public var startedAt: Date?
    @OptionalField(key: "finished_at") public var finishedAt: Date?
    @OptionalField(key: "code") public var code: Int?
    @OptionalField(key: "message") public var message: String?
    @OptionalField(key: "liveness_score") public var livenessScore: Double?
    @OptionalField(key: "similarity") public var similarity: Double?
    /// What happened when (`Timeline`), JSON.
    @Field(key: "timeline") public var timelineJSON: String
    /// The device the page reported and the caller's address.
    @OptionalField(key: "device") public var deviceJSON: String?
    @OptionalField(key: "ip") public var ip: String?
    /// SHA-256 of the address and user agent of the last attempt's device.
    @OptionalField(key: "device_key") public var deviceKey: String?
    @OptionalField(key: "best_frame_blob") public var bestFrameBlob: String?
    /// Blob ids of the audit frames, JSON array.
    @Field(key: "audit_frame_blobs") public var auditFrameBlobsJSON: String
    /// `CallbackState` raw value; nil when the scene has no callback.
    @OptionalField(key: "callback_state") public var callbackState: String?
    @Field(key: "callback_attempts") public var callbackAttempts: Int
    @OptionalField(key: "callback_error") public var callbackError: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}
}

public enum VerificationState: String, Codable, Sendable {
    /// Waiting for the page (also after a failed attempt with attempts left).
    case created
    /// A page is streaming frames.
    case started
    case passed
    case failed
    case expired
}

public enum CallbackState: String, Codable, Sendable {
    case pending, delivered, failed
}

struct CreateLiveness: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SceneModel.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(OrganisationModel.schema, .id))
            .field("application_id", .uuid, .required)
            .field("scene_id", .string, .required)
            .field("rules", .string, .required)
            .field("sealed_callback_secret", .data)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "application_id", "scene_id")
            .create()
        try await database.schema(VerificationModel.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(OrganisationModel.schema, .id))
            .field("application_id", .uuid, .required)
            .field("scene_row", .uuid, .required)
            .field("token_hash", .string, .required)
            .field("state", .string, .required)
            .field("rules", .string, .required)
            .field("challenge", .string, .required)
            .field("attempts", .int, .required)
            .field("sealed_reference", .data)
            .field("reference_person", .string)
            .field("external_user_id", .string)
            .field("redirect_url", .string)
            .field("extra", .string)
            .field("expires_at", .datetime, .required)
            .field("started_at", .datetime)
            .field("finished_at", .datetime)
            .field("code", .int)
            .field("message", .string)
            .field("liveness_score", .double)
            .field("similarity", .double)
            .field("timeline", .string, .required)
            .field("device", .string)
            .field("ip", .string)
            .field("best_frame_blob", .string)
            .field("audit_frame_blobs", .string, .required)
            .field("callback_state", .string)
            .field("callback_attempts", .int, .required)
            .field("callback_error", .string)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(VerificationModel.schema).delete()
        try await database.schema(SceneModel.schema).delete()
    }
}

/// The liveness tables; registered after the platform's.
public enum LivenessMigrations {
    public static let all: [any Migration] = [CreateLiveness(), AddDeviceKey()]
}
