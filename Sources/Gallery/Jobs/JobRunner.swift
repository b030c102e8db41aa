import Fluent
import Foundation
import Logging

/// Runs background jobs one at a time, in the order they were queued. At start it resumes
/// every job a previous process left queued or running.
public actor JobRunner {
    let db: any Database
    let logger: Logger
    var gallery: GalleryService?
    var queue: [UUID] = []
    var working = false

    public init(db: any Database, logger: Logger) {
        self.db = db
        self.logger = logger
    }

    public func start(gallery: GalleryService) async throws {
        self.gallery = gallery
        let unfinished = try await JobModel.query(on: db)
            .filter(\.$state ~~ [JobState.queued.rawValue, JobState.running.rawValue]).sort(\.$createdAt).all()
        for job in unfinished {
            logger.info("resuming job", metadata: ["job": "\(job.id!)", "done": "\(job.done)/\(job.total)"])
            enqueue(try job.requireID())
        }
    }

    public func enqueue(_ id: UUID) {
        queue.append(id)
        guard !working else { return }
        working = true
        Task { await self.drain() }
    }

    func drain() async {
        while !queue.isEmpty {
            let id = queue.removeFirst()
            do {
                guard let gallery, let job = try await JobModel.find(id, on: db),
                      job.state == JobState.queued.rawValue || job.state == JobState.running.rawValue else { continue }
                switch JobKind(rawValue: job.kind) {
                case .duplicates: try await DuplicateCheck.run(job, gallery: gallery, on: db)
                case .modelUpgrade: try await ModelUpgrade.run(job, gallery: gallery, on: db)
                case nil: throw GalleryFailure.invalid("unknown job kind \(job.kind)")
                }
            } catch {
                logger.error("job failed", metadata: ["job": "\(id)", "error": "\(error)"])
                if let job = try? await JobModel.find(id, on: db) {
                    job.state = JobState.failed.rawValue
                    job.error = String(describing: error)
                    try? await job.save(on: db)
                }
            }
        }
        working = false
    }
}
