import FaceServices
import Vapor

/// GET /healthz (the process answers) and /readyz (the engines answer too).
struct HealthRoutes: RouteCollection {
    let service: FaceService

    struct Status: Content {
        var status: String
        var workers: Int?
        var models: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("healthz") { _ in Status(status: "ok") }
        routes.get("readyz", use: ready)
    }

    /// Ready when an engine worker takes a job within two seconds.
    @Sendable func ready(_ request: Request) async throws -> Response {
        let answered = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { try await service.pool.run { _ in true } }
            group.addTask { try await Task.sleep(for: .seconds(2)); return false }
            let first = try await group.next() ?? false
            group.cancelAll()
            return first
        }
        let status = Status(status: answered ? "ready" : "busy", workers: service.pool.workerCount,
                            models: service.pool.options.modelsDirectory)
        let response = Response(status: answered ? .ok : .serviceUnavailable)
        try response.content.encode(status)
        return response
    }
}
