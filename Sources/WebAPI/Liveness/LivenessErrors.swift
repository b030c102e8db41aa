import FaceServices
import Liveness

extension LivenessFailure {
    /// Another application's scene and BizToken are "not found", like ones that do not exist.
    var serviceError: ServiceError {
        switch self {
        case .sceneNotFound(let id): ServiceError(.notFound, "scene '\(id)' not found")
        case .sceneExists(let id): ServiceError(.conflict, "scene '\(id)' already exists")
        case .verificationNotFound: ServiceError(.notFound, "verification not found")
        case .invalid(let message): ServiceError(.invalidParameter, message)
        case .closed(let code, let message): ServiceError(ReturnCode(rawValue: code) ?? .alreadyCompleted, message)
        }
    }
}
