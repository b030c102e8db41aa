import Fluent
import Foundation

/// One signed API call and its outcome.
public final class CallLogModel: Model, OrganisationOwned, @unchecked Sendable {
    public static let schema = "call_log"
    public static var organisationKey: KeyPath<CallLogModel, FieldProperty<CallLogModel, UUID>> { \.$organisationID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "application_id") public var applicationID: UUID
    @Field(key: "request_id") public var requestID: String
    @Field(key: "action") public var action: String
    @Field(key: "code") public var code: Int
    @Field(key: "latency_ms") public var latencyMs: Double
    @OptionalField(key: "engine") public var engine: String?
    @Field(key: "caller_ip") public var callerIP: String
    @Field(key: "time") public var time: Date

    public init() {}

    public init(organisationID: UUID, applicationID: UUID, requestID: String, action: String, code: Int,
                latencyMs: Double, engine: String?, callerIP: String, time: Date) {
        self.organisationID = organisationID
        self.applicationID = applicationID
        self.requestID = requestID
        self.action = action
        self.code = code
        self.latencyMs = latencyMs
        self.engine = engine
        self.callerIP = callerIP
        self.time = time
    }
}

/// One administrative change: who, what, before and after (JSON), when.
public final class AuditLogModel: Model, OrganisationOwned, @unchecked Sendable {
    public static let schema = "audit_log"
    public static var organisationKey: KeyPath<AuditLogModel, FieldProperty<AuditLogModel, UUID>> { \.$organisationID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @OptionalField(key: "actor_id") public var actorID: UUID?
    @Field(key: "actor_name") public var actorName: String
    @Field(key: "action") public var action: String
    @Field(key: "target_type") public var targetType: String
    @OptionalField(key: "target_id") public var targetID: String?
    @OptionalField(key: "before") public var before: String?
    @OptionalField(key: "after") public var after: String?
    @Field(key: "caller_ip") public var callerIP: String
    @Field(key: "time") public var time: Date

    public init() {}

    public init(organisationID: UUID, actorID: UUID?, actorName: String, action: String, targetType: String,
                targetID: String?, before: String?, after: String?, callerIP: String, time: Date) {
        self.organisationID = organisationID
        self.actorID = actorID
        self.actorName = actorName
        self.action = action
        self.targetType = targetType
        self.targetID = targetID
        self.before = before
        self.after = after
        self.callerIP = callerIP
        self.time = time
    }
}

struct CreateRecords: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CallLogModel.schema)
            .id()
            // No foreign keys: the logs outlive the organisations and applications they name.
            .field("organisation_id", .uuid, .required)
            .field("application_id", .uuid, .required)
            .field("request_id", .string, .required)
            .field("action", .string, .required)
            .field("code", .int, .required)
            .field("latency_ms", .double, .required)
            .field("engine", .string)
            .field("caller_ip", .string, .required)
            .field("time", .datetime, .required)
            .create()
        try await database.schema(AuditLogModel.schema)
            .id()
            .field("organisation_id", .uuid, .required)
            .field("actor_id", .uuid)
            .field("actor_name", .string, .required)
            .field("action", .string, .required)
            .field("target_type", .string, .required)
            .field("target_id", .string)
            .field("before", .string)
            .field("after", .string)
            .field("caller_ip", .string, .required)
            .field("time", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditLogModel.schema).delete()
        try await database.schema(CallLogModel.schema).delete()
    }
}
