import Fluent
import Platform
import Vapor

struct OrganisationDTO: Content {
    var id: UUID
    var name: String
    var kind: String
    var parentId: UUID?
    var createdAt: Date?

    init(_ model: OrganisationModel) throws {
        id = try model.requireID()
        name = model.name
        kind = model.kind
        parentId = model.parentID
        createdAt = model.createdAt
    }
}

struct OrganisationInput: Content {
    var name: String?
    var kind: String?
    var parentId: UUID?
}

struct OrganisationList: Content { var items: [OrganisationDTO] }

/// The organisation tree, limited to the caller's own branch.
struct OrganisationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let organisations = routes.grouped("organisations")
        organisations.get(use: list)
        organisations.post(use: create)
        organisations.patch(":id", use: update)
        organisations.delete(":id", use: delete)
    }

    @Sendable func list(_ request: Request) async throws -> OrganisationList {
        let principal = try request.principal(requiring: .orgRead)
        let rows = try await principal.scope.organisations(on: request.db).sort(\.$path).all()
        // A user's own organisation is shown as a root: its parent is outside their scope.
        return OrganisationList(items: try rows.map { row in
            var dto = try OrganisationDTO(row)
            if row.id == principal.organisationID { dto.parentId = nil }
            return dto
        })
    }

    @Sendable func create(_ request: Request) async throws -> OrganisationDTO {
        let principal = try request.principal(requiring: .orgWrite)
        let input = try request.content.decode(OrganisationInput.self)
        let name = try requireText(input.name, "name")
        let kind = try Self.kind(input.kind ?? "other")
        try principal.scope.require(input.parentId)
        guard let parent = try await OrganisationModel.find(input.parentId, on: request.db) else { throw PlatformFailure.notFound("organisation") }
        try await Self.requireUniqueName(name, parent: input.parentId, except: nil, on: request.db)
        let organisation = OrganisationModel(name: name, kind: kind, parent: parent)
        try await organisation.create(on: request.db)
        let dto = try OrganisationDTO(organisation)
        try await AuditLog.record("organisation.create", by: try request.auditActor, target: "organisation", id: dto.id.uuidString,
                                  organisationID: input.parentId, before: OrganisationDTO?.none, after: dto, on: request.db)
        return dto
    }

    @Sendable func update(_ request: Request) async throws -> OrganisationDTO {
        let principal = try request.principal(requiring: .orgWrite)
        let id = try request.id("id", "organisation")
        try principal.scope.require(id)
        guard let organisation = try await OrganisationModel.find(id, on: request.db) else { throw PlatformFailure.notFound("organisation") }
        let before = try OrganisationDTO(organisation)
        let input = try request.content.decode(OrganisationInput.self)
        if let name = input.name {
            organisation.name = try requireText(name, "name")
            try await Self.requireUniqueName(organisation.name, parent: organisation.parentID, except: id, on: request.db)
        }
        if let kind = input.kind { organisation.kind = try Self.kind(kind).rawValue }
        try await organisation.save(on: request.db)
        let after = try OrganisationDTO(organisation)
        try await AuditLog.record("organisation.update", by: try request.auditActor, target: "organisation", id: id.uuidString,
                                  organisationID: organisation.parentID ?? id, before: before, after: after, on: request.db)
        return after
    }

    @Sendable func delete(_ request: Request) async throws -> HTTPStatus {
        let principal = try request.principal(requiring: .orgWrite)
        let id = try request.id("id", "organisation")
        try principal.scope.require(id)
        guard id != principal.organisationID else { throw PlatformFailure.forbidden("you cannot delete your own organisation") }
        guard let organisation = try await OrganisationModel.find(id, on: request.db) else { throw PlatformFailure.notFound("organisation") }
        let children = try await OrganisationModel.query(on: request.db).filter(\.$parentID == id).count()
        let users = try await UserModel.query(on: request.db).filter(\.$organisationID == id).count()
        let applications = try await ApplicationModel.query(on: request.db).filter(\.$organisationID == id).count()
        guard children + users + applications == 0 else {
            throw PlatformFailure.conflict("the organisation still has sub-organisations, users or applications")
        }
        let before = try OrganisationDTO(organisation)
        try await request.db.writeTransaction { db in
            try await RoleModel.query(on: db).filter(\.$organisationID == id).delete()
            try await organisation.delete(on: db)
        }
        // Recorded in the parent: the organisation itself is gone.
        try await AuditLog.record("organisation.delete", by: try request.auditActor, target: "organisation", id: id.uuidString,
                                  organisationID: organisation.parentID, before: before, after: OrganisationDTO?.none, on: request.db)
        return .noContent
    }

    static func kind(_ text: String) throws -> OrganisationKind {
        guard let kind = OrganisationKind(rawValue: text) else {
            throw PlatformFailure.invalid("kind must be one of \(OrganisationKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return kind
    }

    static func requireUniqueName(_ name: String, parent: UUID?, except: UUID?, on db: any Database) async throws {
        let same = try await OrganisationModel.query(on: db).filter(\.$parentID == parent).filter(\.$name == name).all()
        if same.contains(where: { $0.id != except }) {
            throw PlatformFailure.conflict("an organisation named '\(name)' already exists there")
        }
    }
}
