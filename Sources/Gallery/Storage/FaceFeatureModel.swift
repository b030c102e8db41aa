import Fluent
import Foundation

/// A face's feature under another model version than the one it was enrolled with (the
/// face record holds that one). Written by a model upgrade, or at enrolment when the
/// person is in groups of several versions; kept after an upgrade so a revert is instant.
public final class FaceFeatureModel: Model, @unchecked Sendable {
    public static let schema = "gallery_face_features"

    @ID(key: .id) public var id: UUID?
    @Field(key: "face_row") public var faceRow: UUID
    @Field(key: "model_version") public var modelVersion: String
    /// Sealed like the face record's feature, bound to the face row and the model version.
    @Field(key: "sealed_feature") public var sealedFeature: Data

    public init() {}

    public init(faceRow: UUID, modelVersion: String, sealedFeature: Data) {
        self.faceRow = faceRow
        self.modelVersion = modelVersion
        self.sealedFeature = sealedFeature
    }
}

/// Features under several model versions, and the version a group used before its last
/// model upgrade (what a revert goes back to).
struct AddModelVersions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(FaceFeatureModel.schema)
            .id()
            .field("face_row", .uuid, .required, .references(FaceRecordModel.schema, .id, onDelete: .cascade))
            .field("model_version", .string, .required)
            .field("sealed_feature", .data, .required)
            .unique(on: "face_row", "model_version")
            .create()
        try await database.schema(GroupModel.schema).field("previous_model_version", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(GroupModel.schema).deleteField("previous_model_version").update()
        try await database.schema(FaceFeatureModel.schema).delete()
    }
}
