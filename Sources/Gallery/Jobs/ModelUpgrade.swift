import FaceServices
import Fluent
import Foundation

/// Moves a group to another model version: re-extracts every face's feature with the new
/// embedder from the stored image (in batches, resumable after a restart, cancellable),
/// builds the new version's index beside the old one, then switches the group in one
/// transaction. The old features stay, so a revert (an upgrade back to the previous
/// version) only computes the faces enrolled since.
///
/// Writes to the group go on meanwhile under the old version. Before switching, the job
/// catches up on faces enrolled during the run; the switch transaction checks that every
/// face of the group has a feature under the new version and that the new index holds
/// exactly those faces, and otherwise goes round again.
public enum ModelUpgrade {
    public struct Parameters: Codable, Sendable {
        public var groupId: String
        public var groupRow: UUID
        public var from: String
        public var to: String
    }

    static let batchSize = 50
    /// Catch-up rounds before giving up on a group that keeps changing under the job.
    static let switchAttempts = 5

    static func run(_ job: JobModel, gallery: GalleryService, on db: any Database) async throws {
        let parameters = JSONText.decode(Parameters.self, job.parametersJSON)!
        let jobID = try job.requireID()
        let faces = try await DuplicateCheck.faces(of: [parameters.groupRow], on: db)
        job.total = faces.count
        job.state = JobState.running.rawValue
        try await job.save(on: db)
        var cursor = job.done
        while cursor < faces.count {
            guard try await stillRunning(jobID, on: db) else { return }
            let next = min(faces.count, cursor + batchSize)
            // Faces it cannot do are reported once, by the final check below.
            _ = try await gallery.extractMissing(Array(faces[cursor ..< next]), version: parameters.to, on: db)
            try await progress(jobID, done: next, on: db)
            cursor = next
        }
        for _ in 0..<switchAttempts {
            guard try await stillRunning(jobID, on: db) else { return }
            let current = try await DuplicateCheck.faces(of: [parameters.groupRow], on: db)
            let failed = try await gallery.extractMissing(current, version: parameters.to, on: db)
            if let (face, reason) = failed.first {
                return try await finish(jobID, .failed, error: "\(failed.count) face(s) have no \(parameters.to) feature (first: \(face.uuidString), \(reason)); the group stays on \(parameters.from)", on: db)
            }
            let entries = try await gallery.entries(of: current, version: parameters.to, on: db)
            gallery.index.replace(group: parameters.groupRow, version: parameters.to, with: entries)
            let indexed = Set(entries.map(\.faceRow))
            let switched: Bool = try await db.writeTransaction { db in
                guard let group = try await GroupModel.find(parameters.groupRow, on: db) else {
                    throw GalleryFailure.groupNotFound(parameters.groupId)
                }
                guard group.modelVersion == parameters.from else {
                    throw GalleryFailure.invalid("the group moved to \(group.modelVersion) meanwhile")
                }
                let now = try await DuplicateCheck.faces(of: [parameters.groupRow], on: db)
                guard Set(now.compactMap(\.id)) == indexed,
                      try await featureCount(of: now, version: parameters.to, on: db) == now.count else { return false }
                group.previousModelVersion = parameters.from
                group.modelVersion = parameters.to
                try await group.save(on: db)
                guard let job = try await JobModel.find(jobID, on: db) else { return false }
                job.state = JobState.done.rawValue
                job.done = job.total
                try await job.save(on: db)
                return true
            }
            if switched {
                gallery.index.drop(group: parameters.groupRow, keeping: parameters.to)
                return
            }
        }
        try await finish(jobID, .failed, error: "the group kept changing; run the upgrade again at a quieter time", on: db)
    }

    /// Faces among `records` that have a feature under `version` (without opening any).
    static func featureCount(of records: [FaceRecordModel], version: String, on db: any Database) async throws -> Int {
        let own = records.filter { $0.modelVersion == version }.count
        let others = records.filter { $0.modelVersion != version }.compactMap(\.id)
        var extra = 0
        for start in stride(from: 0, to: others.count, by: 500) {
            extra += try await FaceFeatureModel.query(on: db).filter(\.$faceRow ~~ Array(others[start ..< min(others.count, start + 500)]))
                .filter(\.$modelVersion == version).count()
        }
        return own + extra
    }

    static func stillRunning(_ jobID: UUID, on db: any Database) async throws -> Bool {
        try await JobModel.find(jobID, on: db)?.state == JobState.running.rawValue
    }

    static func progress(_ jobID: UUID, done: Int, on db: any Database) async throws {
        guard let job = try await JobModel.find(jobID, on: db) else { return }
        job.done = done
        try await job.save(on: db)
    }

    static func finish(_ jobID: UUID, _ state: JobState, error: String?, on db: any Database) async throws {
        guard let job = try await JobModel.find(jobID, on: db) else { return }
        job.state = state.rawValue
        job.error = error
        try await job.save(on: db)
    }
}

extension GalleryService {
    /// Starts moving the group to `modelVersion`. Refused when the version is unknown or
    /// current, or when some face has no feature under it and the group keeps no images
    /// to compute one from.
    public func startModelUpgrade(_ caller: GalleryCaller, groupID: String, to modelVersion: String, on db: any Database) async throws -> JobInfo {
        let group = try await requireGroup(caller, groupID, on: db)
        _ = try Self.embedder(modelVersion)
        guard modelVersion != group.modelVersion else { throw GalleryFailure.invalid("the group already uses \(modelVersion)") }
        let faces = try await DuplicateCheck.faces(of: [try group.requireID()], on: db)
        let missing = faces.count - (try await ModelUpgrade.featureCount(of: faces, version: modelVersion, on: db))
        guard missing == 0 || group.keepImages else {
            throw GalleryFailure.invalid("\(missing) face(s) have no \(modelVersion) feature and the group keeps no images to compute them from")
        }
        let job = JobModel(caller: caller, kind: .modelUpgrade,
                           parameters: ModelUpgrade.Parameters(groupId: group.groupID, groupRow: try group.requireID(),
                                                               from: group.modelVersion, to: modelVersion),
                           total: faces.count)
        try await job.create(on: db)
        await jobs.enqueue(try job.requireID())
        return try info(job)
    }

    /// Starts moving the group back to the version it had before its last upgrade.
    public func startModelRevert(_ caller: GalleryCaller, groupID: String, on db: any Database) async throws -> JobInfo {
        let group = try await requireGroup(caller, groupID, on: db)
        guard let previous = group.previousModelVersion else { throw GalleryFailure.invalid("the group has had no model upgrade to revert") }
        return try await startModelUpgrade(caller, groupID: groupID, to: previous, on: db)
    }
}
