import Fluent
import Platform
import Vapor

/// Roles: the built-in ones of the root plus those defined in the caller's branch. Roles
/// defined above the caller's organisation are visible (they can be assigned) but not editable.
struct RoleController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("permissions", use: permissions)
        let roles = routes.grouped("roles")
        roles.get(use: list)
        roles.post(use: create)
        roles.patch(":id", use: update)
        roles.delete(":id", use: delete)
    }

    @Sendable func permissions(_ request: Request) async throws -> ItemList<PermissionDTO> {
        _ = try request.principal(requiring: .userRead)
        return ItemList(items: Permission.allCases.map { PermissionDTO(name: $0.rawValue, description: $0.summary) })
    }

    @Sendable func list(_ request: Request) async throws -> ItemList<RoleDTO> {
        let principal = try request.principal(requiring: .userRead)
        let ancestors = principal.scope.path.split(separator: "/").compactMap { UUID(uuidString: String($0)) }
        let visible = Array(principal.scope.visibleIDs) + ancestors
        let roles = try await RoleModel.query(on: request.db).filter(\.$organisationID ~~ visible).sort(\.$name).all()
        return ItemList(items: try roles.map(RoleDTO.init))
    }

    @Sendable func create(_ request: Request) async throws -> RoleDTO {
        let principal = try request.principal(requiring: .roleWrite)
        let input = try request.content.decode(RoleInput.self)
        let name = try requireText(input.name, "name", max: 100)
        try principal.scope.require(input.organisationId)
        let permissions = try Self.permissions(input.permissions ?? [], principal)
        guard try await RoleModel.query(on: request.db).filter(\.$organisationID == input.organisationId!).filter(\.$name == name).count() == 0 else {
            throw PlatformFailure.conflict("a role named '\(name)' already exists there")
        }
        let role = RoleModel(organisationID: input.organisationId!, name: name, permissions: permissions)
        try await role.create(on: request.db)
        let dto = try RoleDTO(role)
        try await AuditLog.record("role.create", by: try request.auditActor, target: "role", id: dto.id.uuidString,
                                  organisationID: role.organisationID, before: RoleDTO?.none, after: dto, on: request.db)
        return dto
    }

    @Sendable func update(_ request: Request) async throws -> RoleDTO {
        let principal = try request.principal(requiring: .roleWrite)
        let role = try await principal.scope.find(RoleModel.self, try request.id("id", "role"), on: request.db, "role")
        guard !role.builtIn else { throw PlatformFailure.forbidden("built-in roles cannot be changed") }
        let before = try RoleDTO(role)
        let input = try request.content.decode(RoleInput.self)
        if let name = input.name { role.name = try requireText(name, "name", max: 100) }
        if let permissions = input.permissions { role.permissions = try Self.permissions(permissions, principal) }
        try await role.save(on: request.db)
        let after = try RoleDTO(role)
        try await AuditLog.record("role.update", by: try request.auditActor, target: "role", id: after.id.uuidString,
                                  organisationID: role.organisationID, before: before, after: after, on: request.db)
        return after
    }

    @Sendable func delete(_ request: Request) async throws -> HTTPStatus {
        let principal = try request.principal(requiring: .roleWrite)
        let role = try await principal.scope.find(RoleModel.self, try request.id("id", "role"), on: request.db, "role")
        guard !role.builtIn else { throw PlatformFailure.forbidden("built-in roles cannot be deleted") }
        let before = try RoleDTO(role)
        try await role.delete(on: request.db)
        try await AuditLog.record("role.delete", by: try request.auditActor, target: "role", id: before.id.uuidString,
                                  organisationID: role.organisationID, before: before, after: RoleDTO?.none, on: request.db)
        return .noContent
    }

    static func permissions(_ names: [String], _ principal: Principal) throws -> [Permission] {
        try names.map { name in
            guard let permission = Permission(rawValue: name) else { throw PlatformFailure.invalid("unknown permission '\(name)'") }
            guard principal.permissions.contains(permission) else {
                throw PlatformFailure.forbidden("you cannot grant '\(name)', which you do not have")
            }
            return permission
        }
    }
}
