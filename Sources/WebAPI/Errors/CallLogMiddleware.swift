import Foundation
import Platform
import Vapor

/// Records every signed /v1 call with its outcome in the call log. Sits outside the
/// signature check, so it sees the caller the check identified and every refusal after it.
struct CallLogMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next.respond(to: request)
            await record(request, code: 0, since: started)
            return response
        } catch {
            await record(request, code: APIErrorMiddleware.classify(error).1.rawValue, since: started)
            throw error
        }
    }

    func record(_ request: Request, code: Int, since started: ContinuousClock.Instant) async {
        guard let caller = request.apiCaller else { return }
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        await CallLog.record(caller, requestID: request.requestID, action: caller.action ?? Self.action(for: request.url.path),
                             code: code, latencyMs: (milliseconds * 10).rounded() / 10, engine: request.engineUsed,
                             callerIP: request.remoteAddress?.ipAddress ?? "", on: request.db)
    }

    /// Tencent-style action names for the native paths, so the log reads the same for both APIs.
    static func action(for path: String) -> String {
        switch path {
        case "/v1/faces/detect": "DetectFace"
        case "/v1/faces/analyze": "AnalyzeFace"
        case "/v1/faces/compare": "CompareFace"
        default: path
        }
    }
}

enum EngineUsedKey: StorageKey { typealias Value = String }

extension Request {
    /// The engines that answered, for the call log.
    var engineUsed: String? {
        get { storage[EngineUsedKey.self] }
        set { storage[EngineUsedKey.self] = newValue }
    }
}
