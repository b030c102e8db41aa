import Fluent
import Foundation
import Platform

/// A scene (the integrator's "rule id"): how the verifications started under it run.
/// `sceneId` is the integrator's own id, unique within the application.
public final class SceneModel: Model, OrganisationOwned, @unchecked Sendable {
    public static let schema = "liveness_scenes"
    public static var organisationKey: KeyPath<SceneModel, FieldProperty<SceneModel, UUID>> { \.$organisationID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "application_id") public var applicationID: UUID
    @Field(key: "scene_id") public var sceneID: String
    /// The rules (`SceneRules`), JSON, without the callback secret.
    @Field(key: "rules") public var rulesJSON: String
    /// The callback secret sealed with the data key (bound to the row id); nil without a callback.
    @OptionalField(key: "sealed_callback_secret") public var sealedCallbackSecret: Data?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}
