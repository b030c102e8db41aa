import Gallery
import Platform
import Vapor

extension JobInfo: Content {}
extension DuplicatePair: Content {}
extension DuplicateCheck.Estimate: Content {}

struct DuplicateCheckRequest: Content {
    var groupIds: [String]
    var threshold: Float?
}

struct ModelUpgradeRequest: Content {
    var groupId: String
    /// The version to move to; absent in a revert.
    var modelVersion: String?
}

/// Background jobs: duplicate checks (estimate, start, result pages) and model upgrades
/// of a group (and their revert); progress and cancel for both.
struct JobRoutes: RouteCollection {
    let gallery: GalleryService

    func boot(routes: any RoutesBuilder) throws {
        let jobs = routes.grouped("v1", "jobs")
        jobs.post("duplicates", "estimate", use: estimate)
        jobs.post("duplicates", use: start)
        jobs.post("model-upgrade", use: upgrade)
        jobs.post("model-revert", use: revert)
        jobs.get(":jobId", use: get)
        jobs.post(":jobId", "cancel", use: cancel)
        jobs.get(":jobId", "results", use: results)
    }

    func caller(_ request: Request) throws -> GalleryCaller { try request.galleryCaller }

    @Sendable func estimate(_ request: Request) async throws -> Answer<DuplicateCheck.Estimate> {
        let body = try request.content.decode(DuplicateCheckRequest.self)
        return Answer(RequestId: request.requestID, result: try await gallery.estimateDuplicateCheck(try caller(request), groupIDs: body.groupIds, on: request.db))
    }

    @Sendable func start(_ request: Request) async throws -> Answer<JobInfo> {
        let body = try request.content.decode(DuplicateCheckRequest.self)
        return Answer(RequestId: request.requestID, result: try await gallery.startDuplicateCheck(
            try caller(request), groupIDs: body.groupIds, threshold: body.threshold, on: request.db))
    }

    @Sendable func upgrade(_ request: Request) async throws -> Answer<JobInfo> {
        let body = try request.content.decode(ModelUpgradeRequest.self)
        guard let version = body.modelVersion else { throw Abort(.badRequest, reason: "modelVersion is required") }
        return Answer(RequestId: request.requestID, result: try await gallery.startModelUpgrade(
            try caller(request), groupID: body.groupId, to: version, on: request.db))
    }

    @Sendable func revert(_ request: Request) async throws -> Answer<JobInfo> {
        let body = try request.content.decode(ModelUpgradeRequest.self)
        return Answer(RequestId: request.requestID, result: try await gallery.startModelRevert(try caller(request), groupID: body.groupId, on: request.db))
    }

    @Sendable func get(_ request: Request) async throws -> Answer<JobInfo> {
        Answer(RequestId: request.requestID, result: try await gallery.job(try caller(request), id: request.parameters.get("jobId") ?? "", on: request.db))
    }

    @Sendable func cancel(_ request: Request) async throws -> Answer<JobInfo> {
        Answer(RequestId: request.requestID, result: try await gallery.cancelJob(try caller(request), id: request.parameters.get("jobId") ?? "", on: request.db))
    }

    @Sendable func results(_ request: Request) async throws -> Listed<DuplicatePair> {
        let query = try request.query.decode(ListQuery.self)
        let (items, total) = try await gallery.jobResults(try caller(request), id: request.parameters.get("jobId") ?? "",
                                                          page: query.page ?? 1, size: query.size ?? 20, on: request.db)
        return Listed(RequestId: request.requestID, items: items, total: total)
    }
}
