import FaceServices
import Gallery
import Liveness
import Platform
import Vapor

/// The error body of every endpoint: `{"RequestId": ..., "Error": {"Code": 2004, "Message": ...}}`.
struct APIErrorBody: Content {
    struct Detail: Content {
        var Code: Int
        var Message: String
    }
    var RequestId: String
    var Error: Detail
}

/// Turns every failure into a SPEC section 8 code with a message, never a stack trace.
struct APIErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            var (status, code, message) = Self.classify(error)
            if status == .payloadTooLarge && VideoLivenessRoutes.takesVideo(request.url.path) {
                (code, message) = (.videoTooLarge, "the video is too large (at most 10 MB)")
            } else if status == .payloadTooLarge && !request.url.path.hasPrefix("/v1/") {
                (code, message) = (.bodyTooLarge, "request body is too large")
            }
            if status == .internalServerError {
                request.logger.error("request failed: \(String(reflecting: error))")
            } else {
                request.logger.info("request refused: \(code.rawValue) \(message)")
            }
            let body = APIErrorBody(RequestId: request.requestID, Error: .init(Code: code.rawValue, Message: message))
            let response = Response(status: status)
            try response.content.encode(body, as: .json)
            return response
        }
    }

    static func classify(_ error: any Error) -> (HTTPResponseStatus, ReturnCode, String) {
        switch error {
        case let error as ServiceError:
            return (status(for: error.code), error.code, error.message)
        case let failure as PlatformFailure:
            return classify(failure.serviceError)
        case let failure as SignatureFailure:
            return classify(failure.serviceError)
        case let failure as GalleryFailure:
            return classify(failure.serviceError)
        case let failure as LivenessFailure:
            return classify(failure.serviceError)
        case is EngineError:
            return (.internalServerError, .engineError, "face engine failed")
        case is DecodingError:
            return (.badRequest, .invalidParameter, "request body is not valid JSON for this endpoint: \(describe(error as! DecodingError))")
        case let abort as any AbortError:
            switch abort.status {
            case .payloadTooLarge: return (.payloadTooLarge, .invalidImage, "request body is too large (images: at most 5 MB)")
            case .unsupportedMediaType: return (.unsupportedMediaType, .unsupportedMediaType, "send application/json or multipart/form-data")
            case .notFound: return (.notFound, .notFound, "no such endpoint")
            case .badRequest: return (.badRequest, .invalidParameter, abort.reason)
            default: return (abort.status, .invalidParameter, abort.reason)
            }
        default:
            return (.internalServerError, .engineError, "internal error")
        }
    }

    static func status(for code: ReturnCode) -> HTTPResponseStatus {
        switch code {
        case .engineError: .internalServerError
        case .notFound: .notFound
        case .bodyTooLarge: .payloadTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .rateLimited: .tooManyRequests
        case .notSignedIn, .signInFailed, .signatureMissing, .unknownCredential, .signatureMismatch, .signatureExpired,
             .signatureReplayed: .unauthorized
        case .forbidden, .addressNotAllowed, .riskControl: .forbidden
        case .accountLocked: .locked
        case .conflict, .alreadyCompleted: .conflict
        case .tokenExpired: .gone
        case .retryLimit: .tooManyRequests
        case .invalidParameter, .invalidImage: .badRequest
        default: .unprocessableEntity
        }
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "missing field '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            "wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        case .dataCorrupted(let context):
            context.codingPath.isEmpty ? "malformed JSON" : "bad value at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        @unknown default: "malformed JSON"
        }
    }
}
