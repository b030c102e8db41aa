import Fluent
import Foundation

/// What one caller (a console user or an API application) may see: its own organisation
/// and every descendant. Every read and write of organisation-owned rows goes through a
/// scope, so isolation is decided here once and not in each endpoint.
public struct OrganisationScope: Sendable {
    public let organisationID: UUID
    public let path: String
    /// Ids of the visible organisations, read once per request.
    public let visibleIDs: Set<UUID>

    public static func of(organisationID: UUID, on db: any Database) async throws -> OrganisationScope {
        guard let home = try await OrganisationModel.find(organisationID, on: db) else {
            throw PlatformFailure.notFound("organisation")
        }
        let visible = try await OrganisationModel.query(on: db).filter(\.$path =~ home.path).all(\.$id)
        return OrganisationScope(organisationID: organisationID, path: home.path, visibleIDs: Set(visible))
    }

    public func contains(_ organisationID: UUID?) -> Bool {
        guard let organisationID else { return false }
        return visibleIDs.contains(organisationID)
    }

    /// Throws "not found" for an organisation outside the scope: a caller must not learn
    /// that a sibling's id exists.
    public func require(_ organisationID: UUID?, _ what: String = "organisation") throws {
        guard contains(organisationID) else { throw PlatformFailure.notFound(what) }
    }

    public func organisations(on db: any Database) -> QueryBuilder<OrganisationModel> {
        OrganisationModel.query(on: db).filter(\.$id ~~ Array(visibleIDs))
    }

    /// Rows of an organisation-owned table that this scope may see.
    public func query<M: OrganisationOwned>(_ type: M.Type, on db: any Database) -> QueryBuilder<M> {
        M.query(on: db).filter(M.organisationKey ~~ Array(visibleIDs))
    }

    /// One row by id, or "not found" when it is missing or outside the scope.
    public func find<M: OrganisationOwned>(_ type: M.Type, _ id: M.IDValue?, on db: any Database, _ what: String) async throws -> M {
        guard let id, let row = try await M.find(id, on: db), contains(row.organisationID) else {
            throw PlatformFailure.notFound(what)
        }
        return row
    }
}

/// A table whose every row belongs to one organisation.
public protocol OrganisationOwned: Model {
    var organisationID: UUID { get }
    static var organisationKey: KeyPath<Self, FieldProperty<Self, UUID>> { get }
}
