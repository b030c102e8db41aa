import Fluent
import Foundation

public struct JobInfo: Sendable, Codable {
    public var jobId: String
    public var kind: String
    public var state: String
    public var done: Int
    public var total: Int
    public var results: Int
    public var groupIds: [String]
    /// Duplicate checks: the match threshold.
    public var threshold: Float?
    /// Model upgrades: from which version to which.
    public var fromModelVersion: String?
    public var toModelVersion: String?
    public var error: String?
    public var createdAt: Date?
    public var updatedAt: Date?
}

public struct DuplicatePair: Sendable, Codable {
    public var personA: String
    public var personB: String
    public var score: Double
}

extension GalleryService {
    /// What a duplicate check of these groups would cost, before starting it.
    public func estimateDuplicateCheck(_ caller: GalleryCaller, groupIDs: [String], on db: any Database) async throws -> DuplicateCheck.Estimate {
        let rows = try await groupRows(caller, groupIDs, on: db)
        return DuplicateCheck.estimate(faces: try await DuplicateCheck.faces(of: rows, on: db).count)
    }

    public func startDuplicateCheck(_ caller: GalleryCaller, groupIDs: [String], threshold: Float?, on db: any Database) async throws -> JobInfo {
        let rows = try await groupRows(caller, groupIDs, on: db)
        let threshold = threshold ?? Self.defaultMatchThreshold
        guard (0...100).contains(threshold) else { throw GalleryFailure.invalid("threshold must be 0-100") }
        let versions = Set(try await GroupModel.query(on: db).filter(\.$id ~~ rows).all(\.$modelVersion))
        guard versions.count == 1, let version = versions.first else {
            throw GalleryFailure.invalid("the groups use different model versions (\(versions.sorted().joined(separator: ", "))): upgrade them to one first")
        }
        let total = try await DuplicateCheck.faces(of: rows, on: db).count
        let job = JobModel(caller: caller, kind: .duplicates,
                           parameters: DuplicateCheck.Parameters(groupIds: groupIDs, groupRows: rows, threshold: threshold, modelVersion: version),
                           total: total)
        try await job.create(on: db)
        await jobs.enqueue(try job.requireID())
        return try info(job)
    }

    public func job(_ caller: GalleryCaller, id: String, on db: any Database) async throws -> JobInfo {
        try info(try await requireJob(caller, id, on: db))
    }

    public func cancelJob(_ caller: GalleryCaller, id: String, on db: any Database) async throws -> JobInfo {
        let job = try await requireJob(caller, id, on: db)
        if job.state == JobState.queued.rawValue || job.state == JobState.running.rawValue {
            job.state = JobState.cancelled.rawValue
            try await job.save(on: db)
        }
        return try info(job)
    }

    /// The pairs found so far, best first.
    public func jobResults(_ caller: GalleryCaller, id: String, page: Int, size: Int, on db: any Database) async throws -> (items: [DuplicatePair], total: Int) {
        let job = try await requireJob(caller, id, on: db)
        let query = JobResultModel.query(on: db).filter(\.$jobID == (try job.requireID())).sort(\.$score, .descending).sort(\.$personA)
        let total = try await query.copy().count()
        let rows = try await query.range(Validate.range(page: page, size: size)).all()
        return (rows.map { DuplicatePair(personA: $0.personA, personB: $0.personB, score: $0.score) }, total)
    }

    func groupRows(_ caller: GalleryCaller, _ groupIDs: [String], on db: any Database) async throws -> [UUID] {
        guard !groupIDs.isEmpty, groupIDs.count <= Self.maxGroupsPerSearch else {
            throw GalleryFailure.invalid("groupIds: 1 to \(Self.maxGroupsPerSearch) groups")
        }
        var rows: [UUID] = []
        for groupID in Set(groupIDs).sorted() { rows.append(try await requireGroup(caller, groupID, on: db).requireID()) }
        return rows
    }

    func requireJob(_ caller: GalleryCaller, _ id: String, on db: any Database) async throws -> JobModel {
        guard let uuid = UUID(uuidString: id), let job = try await JobModel.find(uuid, on: db),
              job.applicationID == caller.applicationID else { throw GalleryFailure.jobNotFound(id) }
        return job
    }

    func info(_ job: JobModel) throws -> JobInfo {
        var info = JobInfo(jobId: try job.requireID().uuidString, kind: job.kind, state: job.state, done: job.done, total: job.total,
                           results: job.resultCount, groupIds: [], error: job.error, createdAt: job.createdAt, updatedAt: job.updatedAt)
        switch JobKind(rawValue: job.kind) {
        case .duplicates:
            let parameters = JSONText.decode(DuplicateCheck.Parameters.self, job.parametersJSON)
            info.groupIds = parameters?.groupIds ?? []
            info.threshold = parameters?.threshold
        case .modelUpgrade:
            let parameters = JSONText.decode(ModelUpgrade.Parameters.self, job.parametersJSON)
            info.groupIds = parameters.map { [$0.groupId] } ?? []
            info.fromModelVersion = parameters?.from
            info.toModelVersion = parameters?.to
        case nil:
            break
        }
        return info
    }
}
