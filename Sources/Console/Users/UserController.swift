import Fluent
import Platform
import Vapor

/// Console accounts inside the caller's branch of the tree.
struct UserController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let users = routes.grouped("users")
        users.get(use: list)
        users.post(use: create)
        users.patch(":id", use: update)
        users.delete(":id", use: delete)
    }

    @Sendable func list(_ request: Request) async throws -> Page<UserDTO> {
        let principal = try request.principal(requiring: .userRead)
        let filter = try request.query.decode(UserQuery.self)
        let query = principal.scope.query(UserModel.self, on: request.db).sort(\.$username)
        if let organisation = filter.organisationId { query.filter(\.$organisationID == organisation) }
        if let text = filter.q?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            query.containing(text, in: ["username", "display_name"])
        }
        let page = try await query.page(try request.query.decode(PageRequest.self))
        return Page(items: try await Self.dtos(page.items, on: request.db), total: page.total, page: page.page, size: page.size)
    }

    @Sendable func create(_ request: Request) async throws -> UserDTO {
        let principal = try request.principal(requiring: .userWrite)
        let input = try request.content.decode(UserInput.self)
        let username = try requireText(input.username, "username", max: 100)
        let displayName = try requireText(input.displayName ?? username, "displayName")
        try principal.scope.require(input.organisationId)
        guard try await UserModel.query(on: request.db).filter(\.$username == username).count() == 0 else {
            throw PlatformFailure.conflict("user name '\(username)' is taken")
        }
        let user = UserModel(organisationID: input.organisationId!, username: username, displayName: displayName, source: .local,
                             passwordHash: try PasswordPolicy.hash(input.password ?? ""))
        user.mustChangePassword = true
        let roles = try await Self.assignableRoles(input.roleIds ?? [], for: input.organisationId!, principal, on: request.db)
        try await request.db.writeTransaction { db in
            try await user.create(on: db)
            for role in roles { try await UserRoleModel(userID: try user.requireID(), roleID: try role.requireID()).create(on: db) }
        }
        let dto = try await Self.dtos([user], on: request.db)[0]
        try await AuditLog.record("user.create", by: try request.auditActor, target: "user", id: dto.id.uuidString,
                                  organisationID: user.organisationID, before: UserDTO?.none, after: dto, on: request.db)
        return dto
    }

    @Sendable func update(_ request: Request) async throws -> UserDTO {
        let principal = try request.principal(requiring: .userWrite)
        let user = try await principal.scope.find(UserModel.self, try request.id("id", "user"), on: request.db, "user")
        let before = try await Self.dtos([user], on: request.db)[0]
        let input = try request.content.decode(UserInput.self)
        if let name = input.displayName { user.displayName = try requireText(name, "displayName") }
        if let disabled = input.disabled {
            guard !(disabled && user.id == principal.userID) else { throw PlatformFailure.forbidden("you cannot disable yourself") }
            user.disabled = disabled
        }
        if input.unlock == true { user.lockedUntil = nil; user.failedSignIns = 0 }
        if let password = input.password {
            guard user.source == AccountSource.local.rawValue else { throw PlatformFailure.invalid("directory users have no local password") }
            user.passwordHash = try PasswordPolicy.hash(password)
            user.mustChangePassword = true
        }
        var newRoles: [RoleModel]?
        if let ids = input.roleIds { newRoles = try await Self.assignableRoles(ids, for: user.organisationID, principal, on: request.db) }
        let roles = newRoles
        try await request.db.writeTransaction { db in
            try await user.save(on: db)
            if let roles {
                try await UserRoleModel.query(on: db).filter(\.$userID == user.requireID()).delete()
                for role in roles { try await UserRoleModel(userID: try user.requireID(), roleID: try role.requireID()).create(on: db) }
            }
        }
        let after = try await Self.dtos([user], on: request.db)[0]
        try await AuditLog.record("user.update", by: try request.auditActor, target: "user", id: after.id.uuidString,
                                  organisationID: user.organisationID, before: before, after: after, on: request.db)
        return after
    }

    @Sendable func delete(_ request: Request) async throws -> HTTPStatus {
        let principal = try request.principal(requiring: .userWrite)
        let user = try await principal.scope.find(UserModel.self, try request.id("id", "user"), on: request.db, "user")
        guard user.id != principal.userID else { throw PlatformFailure.forbidden("you cannot delete yourself") }
        let before = try await Self.dtos([user], on: request.db)[0]
        try await user.delete(on: request.db)
        try await AuditLog.record("user.delete", by: try request.auditActor, target: "user", id: before.id.uuidString,
                                  organisationID: user.organisationID, before: before, after: UserDTO?.none, on: request.db)
        return .noContent
    }

    /// Roles the caller can see, defined in the user's organisation or above it, and
    /// granting nothing the caller does not hold (no one can hand out more than they have).
    static func assignableRoles(_ ids: [UUID], for organisationID: UUID, _ principal: Principal, on db: any Database) async throws -> [RoleModel] {
        guard !ids.isEmpty else { return [] }
        guard let organisation = try await OrganisationModel.find(organisationID, on: db) else { throw PlatformFailure.notFound("organisation") }
        let roles = try await RoleModel.query(on: db).filter(\.$id ~~ ids).all()
        guard roles.count == Set(ids).count else { throw PlatformFailure.notFound("role") }
        for role in roles {
            let lineage = organisation.path.split(separator: "/").compactMap { UUID(uuidString: String($0)) }
            guard lineage.contains(role.organisationID) else { throw PlatformFailure.notFound("role") }
            guard Set(role.permissions).isSubset(of: principal.permissions) else {
                throw PlatformFailure.forbidden("role '\(role.name)' grants permissions you do not have")
            }
        }
        return roles
    }

    static func dtos(_ users: [UserModel], on db: any Database) async throws -> [UserDTO] {
        let ids = try users.map { try $0.requireID() }
        let links = try await UserRoleModel.query(on: db).filter(\.$userID ~~ ids).all()
        let roles = try await RoleModel.query(on: db).filter(\.$id ~~ links.map(\.roleID)).all()
        let roleNames = Dictionary(uniqueKeysWithValues: roles.compactMap { r in r.id.map { ($0, r.name) } })
        let organisations = try await OrganisationModel.query(on: db).filter(\.$id ~~ users.map(\.organisationID)).all()
        let orgNames = Dictionary(uniqueKeysWithValues: organisations.compactMap { o in o.id.map { ($0, o.name) } })
        return try users.map { user in
            let id = try user.requireID()
            return UserDTO(id: id, username: user.username, displayName: user.displayName, organisationId: user.organisationID,
                           organisationName: orgNames[user.organisationID] ?? "", source: user.source, disabled: user.disabled,
                           locked: user.isLocked(),
                           roles: links.filter { $0.userID == id }.compactMap { link in roleNames[link.roleID].map { RoleRef(id: link.roleID, name: $0) } }
                               .sorted { $0.name < $1.name },
                           createdAt: user.createdAt)
        }
    }
}
