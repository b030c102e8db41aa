import FaceServices
import Fluent
import Foundation

extension GalleryService {
    /// A person's template (the normalised mean of their faces) under `kind`, for comparing
    /// with a face seen elsewhere (a liveness session's best frame). Throws "not found" for
    /// another application's ids, and "feature missing" when no feature of that model exists.
    public func referenceTemplate(_ caller: GalleryCaller, personID: String, kind: EmbedderKind, on db: any Database) async throws -> [Float] {
        let person = try await requirePerson(caller, personID, on: db)
        let records = try await FaceRecordModel.query(on: db).filter(\.$personRow == (try person.requireID())).all()
        return Features.template(try await entries(of: records, version: kind.modelVersion, on: db).map(\.vector))
    }
}
