import Fluent
import Platform

/// The gallery's tables; registered after the platform's (they reference organisations).
public enum GalleryMigrations {
    public static let all: [any Migration] = [CreateGallery(), CreateJobs(), AddModelVersions()]
}

struct CreateGallery: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(GroupModel.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(OrganisationModel.schema, .id))
            .field("application_id", .uuid, .required)
            .field("group_id", .string, .required)
            .field("name", .string, .required)
            .field("tag", .string, .required)
            .field("custom_fields", .string, .required)
            .field("keep_images", .bool, .required)
            .field("model_version", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "application_id", "group_id")
            .create()
        try await database.schema(PersonModel.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(OrganisationModel.schema, .id))
            .field("application_id", .uuid, .required)
            .field("person_id", .string, .required)
            .field("name", .string, .required)
            .field("gender", .int, .required)
            .field("created_at", .datetime)
            .unique(on: "application_id", "person_id")
            .create()
        try await database.schema(MembershipModel.schema)
            .id()
            .field("group_row", .uuid, .required, .references(GroupModel.schema, .id, onDelete: .cascade))
            .field("person_row", .uuid, .required, .references(PersonModel.schema, .id, onDelete: .cascade))
            .field("custom_values", .string, .required)
            .unique(on: "group_row", "person_row")
            .create()
        try await database.schema(FaceRecordModel.schema)
            .id()
            .field("person_row", .uuid, .required, .references(PersonModel.schema, .id, onDelete: .cascade))
            .field("model_version", .string, .required)
            .field("sealed_feature", .data, .required)
            .field("image_blob", .string)
            .field("quality", .double, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(FaceRecordModel.schema).delete()
        try await database.schema(MembershipModel.schema).delete()
        try await database.schema(PersonModel.schema).delete()
        try await database.schema(GroupModel.schema).delete()
    }
}
