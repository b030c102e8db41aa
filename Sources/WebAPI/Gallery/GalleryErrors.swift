import FaceServices
import Gallery
import Platform
import Vapor

extension GalleryFailure {
    /// Another application's (or organisation's) group and person ids are "not found",
    /// exactly like ids that do not exist.
    var serviceError: ServiceError {
        switch self {
        case .groupNotFound(let id): ServiceError(.notFound, "group '\(id)' not found")
        case .personNotFound(let id): ServiceError(.notFound, "person '\(id)' not found")
        case .faceNotFound(let id): ServiceError(.notFound, "face '\(id)' not found")
        case .jobNotFound(let id): ServiceError(.notFound, "job '\(id)' not found")
        case .groupExists(let id): ServiceError(.conflict, "group '\(id)' already exists")
        case .personExists(let id): ServiceError(.conflict, "person '\(id)' already exists")
        case .tooManyFaces(let limit): ServiceError(.invalidParameter, "a person has at most \(limit) faces")
        case .duplicatePerson(let id, let score):
            ServiceError(.conflict, "the face already exists in the group as person '\(id)' (score \(Int(score)))")
        case .invalid(let message): ServiceError(.invalidParameter, message)
        case .featureMissing(let face, let version):
            ServiceError(.conflict, "face '\(face)' has no \(version) feature yet: run or finish the group's model upgrade")
        }
    }
}

extension Request {
    /// The signed application, as the gallery scopes everything to it.
    var galleryCaller: GalleryCaller {
        get throws {
            guard let caller = apiCaller else { throw SignatureFailure.missing("no signed caller") }
            return GalleryCaller(organisationID: caller.organisationID, applicationID: caller.applicationID)
        }
    }
}
