import Foundation

/// Who is asking: every gallery operation is limited to one application's rows, which
/// themselves belong to its organisation.
public struct GalleryCaller: Sendable {
    public var organisationID: UUID
    public var applicationID: UUID

    public init(organisationID: UUID, applicationID: UUID) {
        self.organisationID = organisationID
        self.applicationID = applicationID
    }
}

/// Refusals of the gallery, each with its SPEC code.
public enum GalleryFailure: Error, Sendable, Equatable {
    case groupNotFound(String)
    case personNotFound(String)
    case faceNotFound(String)
    case jobNotFound(String)
    case groupExists(String)
    case personExists(String)
    case tooManyFaces(Int)
    case duplicatePerson(String, Float)
    case invalid(String)
    /// A face without a feature under its group's model version (finish the model upgrade).
    case featureMissing(String, String)
}
