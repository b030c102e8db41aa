import Fluent
import Platform
import Vapor

/// Integrator applications and their SecretId/SecretKey pairs.
struct ApplicationController: RouteCollection {
    let platform: Platform
    static let maxQPS = 10_000

    func boot(routes: any RoutesBuilder) throws {
        let applications = routes.grouped("applications")
        applications.get(use: list)
        applications.post(use: create)
        applications.patch(":id", use: update)
        applications.post(":id", "credentials", use: addCredential)
        applications.post(":id", "credentials", ":secretId", "rotate", use: rotate)
        applications.post(":id", "credentials", ":secretId", "disable") { try await setStatus($0, .disabled) }
        applications.post(":id", "credentials", ":secretId", "enable") { try await setStatus($0, .active) }
    }

    @Sendable func list(_ request: Request) async throws -> Page<ApplicationDTO> {
        let principal = try request.principal(requiring: .appRead)
        let query = principal.scope.query(ApplicationModel.self, on: request.db).sort(\.$name)
        if let text = try request.query.decode(ApplicationQuery.self).q?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            query.containing(text, in: ["name"])
        }
        let page = try await query.page(try request.query.decode(PageRequest.self))
        return Page(items: try await Self.dtos(page.items, on: request.db), total: page.total, page: page.page, size: page.size)
    }

    @Sendable func create(_ request: Request) async throws -> ApplicationCreated {
        let principal = try request.principal(requiring: .appWrite)
        let input = try request.content.decode(ApplicationInput.self)
        let name = try requireText(input.name, "name")
        try principal.scope.require(input.organisationId)
        let allowList = try Self.allowList(input.ipAllowList ?? [])
        let application = ApplicationModel(organisationID: input.organisationId!, name: name,
                                           qpsLimit: try Self.qps(input.qpsLimit ?? 20), ipAllowList: allowList)
        let issued = try await request.db.writeTransaction { db in
            try await application.create(on: db)
            return try await Credentials.issue(for: application, key: platform.key, on: db)
        }
        let dto = try await Self.dtos([application], on: request.db)[0]
        let actor = try request.auditActor
        try await AuditLog.record("application.create", by: actor, target: "application", id: dto.id.uuidString,
                                  organisationID: application.organisationID, before: ApplicationDTO?.none, after: dto, on: request.db)
        try await AuditLog.record("credential.create", by: actor, target: "credential", id: issued.secretId,
                                  organisationID: application.organisationID, before: String?.none, after: ["secretId": issued.secretId], on: request.db)
        return ApplicationCreated(application: dto, credential: IssuedCredentialDTO(issued))
    }

    @Sendable func update(_ request: Request) async throws -> ApplicationDTO {
        let application = try await find(request)
        let before = try await Self.dtos([application], on: request.db)[0]
        let input = try request.content.decode(ApplicationInput.self)
        if let name = input.name { application.name = try requireText(name, "name") }
        if let qps = input.qpsLimit { application.qpsLimit = try Self.qps(qps) }
        if let list = input.ipAllowList { application.ipAllowList = try Self.allowList(list) }
        if let disabled = input.disabled { application.disabled = disabled }
        try await application.save(on: request.db)
        let after = try await Self.dtos([application], on: request.db)[0]
        try await AuditLog.record("application.update", by: try request.auditActor, target: "application", id: after.id.uuidString,
                                  organisationID: application.organisationID, before: before, after: after, on: request.db)
        return after
    }

    @Sendable func addCredential(_ request: Request) async throws -> IssuedCredentialDTO {
        let application = try await find(request)
        let issued = try await Credentials.issue(for: application, key: platform.key, on: request.db)
        try await AuditLog.record("credential.create", by: try request.auditActor, target: "credential", id: issued.secretId,
                                  organisationID: application.organisationID, before: String?.none, after: ["secretId": issued.secretId], on: request.db)
        return IssuedCredentialDTO(issued)
    }

    @Sendable func rotate(_ request: Request) async throws -> IssuedCredentialDTO {
        let application = try await find(request)
        let old = try await credential(request, of: application)
        let issued = try await request.db.writeTransaction { db in
            old.status = CredentialStatus.disabled.rawValue
            try await old.save(on: db)
            return try await Credentials.issue(for: application, key: platform.key, on: db)
        }
        try await AuditLog.record("credential.rotate", by: try request.auditActor, target: "credential", id: old.secretID,
                                  organisationID: application.organisationID, before: ["secretId": old.secretID],
                                  after: ["secretId": issued.secretId], on: request.db)
        return IssuedCredentialDTO(issued)
    }

    func setStatus(_ request: Request, _ status: CredentialStatus) async throws -> CredentialDTO {
        let application = try await find(request)
        let credential = try await credential(request, of: application)
        let before = Self.dto(credential)
        credential.status = status.rawValue
        try await credential.save(on: request.db)
        let after = Self.dto(credential)
        try await AuditLog.record(status == .active ? "credential.enable" : "credential.disable", by: try request.auditActor,
                                  target: "credential", id: credential.secretID, organisationID: application.organisationID,
                                  before: before, after: after, on: request.db)
        return after
    }

    func find(_ request: Request) async throws -> ApplicationModel {
        let principal = try request.principal(requiring: .appWrite)
        return try await principal.scope.find(ApplicationModel.self, try request.id("id", "application"), on: request.db, "application")
    }

    func credential(_ request: Request, of application: ApplicationModel) async throws -> CredentialModel {
        guard let secretID = request.parameters.get("secretId"),
              let credential = try await CredentialModel.query(on: request.db)
                .filter(\.$secretID == secretID).filter(\.$applicationID == application.requireID()).first()
        else { throw PlatformFailure.notFound("credential") }
        return credential
    }

    static func qps(_ value: Int) throws -> Int {
        guard (1...maxQPS).contains(value) else { throw PlatformFailure.invalid("qpsLimit must be between 1 and \(maxQPS)") }
        return value
    }

    static func allowList(_ entries: [String]) throws -> [String] {
        let cleaned = entries.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        _ = try IPAllowList(cleaned)
        return cleaned
    }

    static func dto(_ credential: CredentialModel) -> CredentialDTO {
        CredentialDTO(secretId: credential.secretID, status: credential.status, createdAt: credential.createdAt, lastUsedAt: credential.lastUsedAt)
    }

    static func dtos(_ applications: [ApplicationModel], on db: any Database) async throws -> [ApplicationDTO] {
        let ids = try applications.map { try $0.requireID() }
        let credentials = try await CredentialModel.query(on: db).filter(\.$applicationID ~~ ids).sort(\.$createdAt).all()
        let organisations = try await OrganisationModel.query(on: db).filter(\.$id ~~ applications.map(\.organisationID)).all()
        let names = Dictionary(uniqueKeysWithValues: organisations.compactMap { o in o.id.map { ($0, o.name) } })
        return try applications.map { app in
            let id = try app.requireID()
            return ApplicationDTO(id: id, name: app.name, organisationId: app.organisationID, organisationName: names[app.organisationID] ?? "",
                                  qpsLimit: app.qpsLimit, ipAllowList: app.ipAllowList, disabled: app.disabled, createdAt: app.createdAt,
                                  credentials: credentials.filter { $0.applicationID == id }.map(dto))
        }
    }
}
