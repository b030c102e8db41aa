import FaceServices
import Fluent
import Foundation

/// Finds pairs of different persons whose faces match, inside one group or across groups:
/// every face is searched against the groups' indexes. Work goes in batches; after each,
/// the cursor, the count and the pairs found are committed, so a restart resumes from the
/// last batch and a cancel stops within one.
public enum DuplicateCheck {
    public struct Parameters: Codable, Sendable {
        public var groupIds: [String]
        public var groupRows: [UUID]
        public var threshold: Float
        /// The model version of the groups (all the same; nil in jobs from before versions).
        public var modelVersion: String?

        public init(groupIds: [String], groupRows: [UUID], threshold: Float, modelVersion: String) {
            self.groupIds = groupIds
            self.groupRows = groupRows
            self.threshold = threshold
            self.modelVersion = modelVersion
        }
    }

    public struct Estimate: Codable, Sendable {
        public var faces: Int
        /// Face-to-face comparisons an exact check makes.
        public var comparisons: Int
        public var estimatedSeconds: Double
    }

    static let batchSize = 100
    /// Float32 128-d comparisons a second on one core, measured roughly; only for the estimate.
    static let comparisonsPerSecond = 20_000_000.0

    static func estimate(faces: Int) -> Estimate {
        let comparisons = faces * faces
        return Estimate(faces: faces, comparisons: comparisons, estimatedSeconds: (Double(comparisons) / comparisonsPerSecond * 10).rounded() / 10)
    }

    /// The faces of the groups' persons, in a stable order (the cursor counts into it).
    static func faces(of groupRows: [UUID], on db: any Database) async throws -> [FaceRecordModel] {
        let persons = try await MembershipModel.query(on: db).filter(\.$groupRow ~~ groupRows).all(\.$personRow)
        return try await FaceRecordModel.query(on: db).filter(\.$personRow ~~ Array(Set(persons))).sort(\.$id).all()
    }

    /// Runs (or resumes) the job until it is done or cancelled.
    static func run(_ job: JobModel, gallery: GalleryService, on db: any Database) async throws {
        let parameters = JSONText.decode(Parameters.self, job.parametersJSON)!
        let version = parameters.modelVersion ?? GalleryService.embedder.modelVersion
        let scoreMap = gallery.scoreMap(version)
        let faces = try await faces(of: parameters.groupRows, on: db)
        let personIDs = Dictionary(uniqueKeysWithValues: try await PersonModel.query(on: db)
            .filter(\.$id ~~ Array(Set(faces.map(\.personRow)))).all().map { ($0.id!, $0.personID) })
        job.total = faces.count
        job.state = JobState.running.rawValue
        try await job.save(on: db)
        let jobID = try job.requireID()
        var cursor = job.done
        while cursor < faces.count {
            // A cancel from another request shows up here, between batches.
            guard let current = try await JobModel.find(jobID, on: db), current.state == JobState.running.rawValue else { return }
            var best: [String: (String, String, Float)] = [:]
            let batch = Array(faces[cursor ..< min(faces.count, cursor + batchSize)])
            let vectors = try await Features.vectors(of: batch, version: version, key: gallery.key, on: db)
            for face in batch {
                guard let vector = vectors[try face.requireID()] else { continue }
                for match in gallery.index.search(groups: parameters.groupRows, version: version, vector: vector, k: 20)
                where match.personRow != face.personRow {
                    let score = scoreMap.score(match.cosine)
                    guard score >= parameters.threshold, let a = personIDs[face.personRow], let b = personIDs[match.personRow] else { continue }
                    let key = a < b ? "\(a)\u{0}\(b)" : "\(b)\u{0}\(a)"
                    if (best[key]?.2 ?? -1) < score { best[key] = (min(a, b), max(a, b), score) }
                }
            }
            let next = min(faces.count, cursor + batchSize)
            let found = Array(best.values)
            try await db.writeTransaction { db in
                for (a, b, score) in found {
                    let rounded = Double((score * 100).rounded() / 100)
                    if let existing = try await JobResultModel.query(on: db).filter(\.$jobID == jobID)
                        .filter(\.$personA == a).filter(\.$personB == b).first() {
                        if existing.score < rounded { existing.score = rounded; try await existing.save(on: db) }
                    } else {
                        try await JobResultModel(jobID: jobID, personA: a, personB: b, score: rounded).create(on: db)
                    }
                }
                guard let job = try await JobModel.find(jobID, on: db) else { return }
                job.done = next
                job.resultCount = try await JobResultModel.query(on: db).filter(\.$jobID == jobID).count()
                try await job.save(on: db)
            }
            cursor = next
        }
        if let finished = try await JobModel.find(jobID, on: db), finished.state == JobState.running.rawValue {
            finished.state = JobState.done.rawValue
            try await finished.save(on: db)
        }
    }
}
