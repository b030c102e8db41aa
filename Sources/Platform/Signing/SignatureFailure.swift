import FaceServices

/// Why a /v1 call was refused before it reached a service.
public enum SignatureFailure: Error, Sendable, Equatable {
    case missing(String)
    case unknownCredential
    case mismatch
    case expired
    case replayed
    case addressNotAllowed(String)
    case rateLimited

    public var serviceError: ServiceError {
        switch self {
        case .missing(let m): ServiceError(.signatureMissing, "request is not signed with TC3-HMAC-SHA256: \(m)")
        case .unknownCredential: ServiceError(.unknownCredential, "SecretId is unknown or disabled")
        case .mismatch: ServiceError(.signatureMismatch, "signature does not match the request")
        case .expired: ServiceError(.signatureExpired, "X-TC-Timestamp is more than 5 minutes away from the server's clock")
        case .replayed: ServiceError(.signatureReplayed, "this signed request was already used")
        case .addressNotAllowed(let ip): ServiceError(.addressNotAllowed, "calls from \(ip) are not allowed for this application")
        case .rateLimited: ServiceError(.rateLimited, "request rate over the application's QPS limit")
        }
    }
}
