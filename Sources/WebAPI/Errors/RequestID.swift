import Vapor

/// A per-request id, returned as `RequestId` in every body and `X-Request-Id` header and
/// attached to every log line of the request.
struct RequestIDMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let id = UUID().uuidString
        request.storage[RequestIDKey.self] = id
        request.logger[metadataKey: "request-id"] = .string(id)
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: "X-Request-Id", value: id)
        return response
    }
}

enum RequestIDKey: StorageKey {
    typealias Value = String
}

extension Request {
    var requestID: String {
        if let id = storage[RequestIDKey.self] { return id }
        let id = UUID().uuidString
        storage[RequestIDKey.self] = id
        return id
    }
}
