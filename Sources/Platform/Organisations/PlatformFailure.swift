import FaceServices

/// Refusals of the platform layer, each with its SPEC code. `notFound` is also what a
/// caller gets for another organisation's ids.
public enum PlatformFailure: Error, Sendable, Equatable {
    case notFound(String)
    case forbidden(String)
    case conflict(String)
    case invalid(String)
    case notSignedIn
    case signInFailed
    case accountLocked

    public var serviceError: ServiceError {
        switch self {
        case .notFound(let what): ServiceError(.notFound, "\(what) not found")
        case .forbidden(let m): ServiceError(.forbidden, m)
        case .conflict(let m): ServiceError(.conflict, m)
        case .invalid(let m): ServiceError(.invalidParameter, m)
        case .notSignedIn: ServiceError(.notSignedIn, "sign in first")
        case .signInFailed: ServiceError(.signInFailed, "wrong user name or password")
        case .accountLocked: ServiceError(.accountLocked, "account locked after repeated failed sign-ins; try again later or ask an administrator")
        }
    }
}
