import Fluent
import Foundation
import Platform

/// A person group of one application. `groupID` is the integrator's own id, unique within
/// the application; the row id is ours.
public final class GroupModel: Model, OrganisationOwned, @unchecked Sendable {
    public static let schema = "gallery_groups"
    public static var organisationKey: KeyPath<GroupModel, FieldProperty<GroupModel, UUID>> { \.$organisationID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "application_id") public var applicationID: UUID
    @Field(key: "group_id") public var groupID: String
    @Field(key: "name") public var name: String
    @Field(key: "tag") public var tag: String
    /// Names of the custom person fields, JSON array.
    @Field(key: "custom_fields") public var customFieldsJSON: String
    @Field(key: "keep_images") public var keepImages: Bool
    @Field(key: "model_version") public var modelVersion: String
    /// The version before the last model upgrade: what a revert goes back to.
    @OptionalField(key: "previous_model_version") public var previousModelVersion: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(organisationID: UUID, applicationID: UUID, groupID: String, name: String, tag: String,
                customFields: [String], keepImages: Bool, modelVersion: String) {
        self.organisationID = organisationID
        self.applicationID = applicationID
        self.groupID = groupID
        self.name = name
        self.tag = tag
        self.customFieldsJSON = JSONText.encode(customFields)
        self.keepImages = keepImages
        self.modelVersion = modelVersion
    }

    public var customFields: [String] {
        get { JSONText.decode([String].self, customFieldsJSON) ?? [] }
        set { customFieldsJSON = JSONText.encode(newValue) }
    }
}

/// A person of one application; belongs to one or more groups through memberships.
public final class PersonModel: Model, OrganisationOwned, @unchecked Sendable {
    public static let schema = "gallery_persons"
    public static var organisationKey: KeyPath<PersonModel, FieldProperty<PersonModel, UUID>> { \.$organisationID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "application_id") public var applicationID: UUID
    @Field(key: "person_id") public var personID: String
    @Field(key: "name") public var name: String
    @Field(key: "gender") public var gender: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(organisationID: UUID, applicationID: UUID, personID: String, name: String, gender: Int) {
        self.organisationID = organisationID
        self.applicationID = applicationID
        self.personID = personID
        self.name = name
        self.gender = gender
    }
}

/// A person's place in a group, with the values of the group's custom fields.
public final class MembershipModel: Model, @unchecked Sendable {
    public static let schema = "gallery_memberships"

    @ID(key: .id) public var id: UUID?
    @Field(key: "group_row") public var groupRow: UUID
    @Field(key: "person_row") public var personRow: UUID
    /// Custom field name → value, JSON object.
    @Field(key: "custom_values") public var customValuesJSON: String

    public init() {}

    public init(groupRow: UUID, personRow: UUID, customValues: [String: String]) {
        self.groupRow = groupRow
        self.personRow = personRow
        self.customValuesJSON = JSONText.encode(customValues)
    }

    public var customValues: [String: String] {
        get { JSONText.decode([String: String].self, customValuesJSON) ?? [:] }
        set { customValuesJSON = JSONText.encode(newValue) }
    }
}

/// One enrolled face: its feature sealed with the data key (bound to the row id), the engine
/// and model version that made it, and the image only when the group keeps images.
public final class FaceRecordModel: Model, @unchecked Sendable {
    public static let schema = "gallery_faces"

    @ID(key: .id) public var id: UUID?
    @Field(key: "person_row") public var personRow: UUID
    @Field(key: "model_version") public var modelVersion: String
    @Field(key: "sealed_feature") public var sealedFeature: Data
    @OptionalField(key: "image_blob") public var imageBlob: String?
    @Field(key: "quality") public var quality: Double
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(id: UUID, personRow: UUID, modelVersion: String, sealedFeature: Data, imageBlob: String?, quality: Double) {
        self.id = id
        self.personRow = personRow
        self.modelVersion = modelVersion
        self.sealedFeature = sealedFeature
        self.imageBlob = imageBlob
        self.quality = quality
    }
}

enum JSONText {
    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) -> T? {
        try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
