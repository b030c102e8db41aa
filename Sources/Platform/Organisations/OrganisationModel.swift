import Fluent
import Foundation

/// One legal entity in the tree. `path` is the chain of ids from the root down to this
/// organisation (`/root/…/self/`), so "this one and its descendants" is a prefix match.
public final class OrganisationModel: Model, @unchecked Sendable {
    public static let schema = "organisations"

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "kind") public var kind: String
    @OptionalField(key: "parent_id") public var parentID: UUID?
    @Field(key: "path") public var path: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(id: UUID = UUID(), name: String, kind: OrganisationKind, parent: OrganisationModel?) {
        self.id = id
        self.name = name
        self.kind = kind.rawValue
        self.parentID = parent?.id
        self.path = (parent?.path ?? "/") + id.uuidString.lowercased() + "/"
    }
}

public enum OrganisationKind: String, Codable, Sendable, CaseIterable {
    case union, audit, bank, village, other
}

struct CreateOrganisations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OrganisationModel.schema)
            .id()
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("parent_id", .uuid, .references(OrganisationModel.schema, .id))
            .field("path", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "path")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OrganisationModel.schema).delete()
    }
}
