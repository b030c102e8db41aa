import Fluent
import Foundation
import Platform

/// A background job of one application (a duplicate check or a model upgrade). Its state, progress and cursor
/// are in the database, so a restart resumes it where its last checkpoint left it.
public final class JobModel: Model, OrganisationOwned, @unchecked Sendable {
    public static let schema = "gallery_jobs"
    public static var organisationKey: KeyPath<JobModel, FieldProperty<JobModel, UUID>> { \.$organisationID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "application_id") public var applicationID: UUID
    @Field(key: "kind") public var kind: String
    @Field(key: "state") public var state: String
    /// The job's parameters, JSON.
    @Field(key: "parameters") public var parametersJSON: String
    @Field(key: "done") public var done: Int
    @Field(key: "total") public var total: Int
    @Field(key: "results") public var resultCount: Int
    @OptionalField(key: "error") public var error: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    init<Parameters: Encodable>(caller: GalleryCaller, kind: JobKind, parameters: Parameters, total: Int) {
        self.organisationID = caller.organisationID
        self.applicationID = caller.applicationID
        self.kind = kind.rawValue
        self.state = JobState.queued.rawValue
        self.parametersJSON = JSONText.encode(parameters)
        self.done = 0
        self.total = total
        self.resultCount = 0
    }
}

public enum JobKind: String, Codable, Sendable {
    case duplicates
    case modelUpgrade = "model-upgrade"
}

public enum JobState: String, Codable, Sendable {
    case queued, running, done, cancelled, failed
}

/// One pair of persons a duplicate check found, with their best face-to-face score.
public final class JobResultModel: Model, @unchecked Sendable {
    public static let schema = "gallery_job_results"

    @ID(key: .id) public var id: UUID?
    @Field(key: "job_id") public var jobID: UUID
    @Field(key: "person_a") public var personA: String
    @Field(key: "person_b") public var personB: String
    @Field(key: "score") public var score: Double

    public init() {}

    init(jobID: UUID, personA: String, personB: String, score: Double) {
        self.jobID = jobID
        self.personA = personA
        self.personB = personB
        self.score = score
    }
}

struct CreateJobs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(JobModel.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(OrganisationModel.schema, .id))
            .field("application_id", .uuid, .required)
            .field("kind", .string, .required)
            .field("state", .string, .required)
            .field("parameters", .string, .required)
            .field("done", .int, .required)
            .field("total", .int, .required)
            .field("results", .int, .required)
            .field("error", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema(JobResultModel.schema)
            .id()
            .field("job_id", .uuid, .required, .references(JobModel.schema, .id, onDelete: .cascade))
            .field("person_a", .string, .required)
            .field("person_b", .string, .required)
            .field("score", .double, .required)
            .unique(on: "job_id", "person_a", "person_b")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(JobResultModel.schema).delete()
        try await database.schema(JobModel.schema).delete()
    }
}
