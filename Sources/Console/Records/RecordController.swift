import Fluent
import Platform
import Vapor

struct CallDTO: Content {
    var id: UUID
    var time: Date
    var requestId: String
    var applicationId: UUID
    var applicationName: String
    var action: String
    var code: Int
    var latencyMs: Double
    var engine: String?
    var callerIp: String
}

struct AuditDTO: Content {
    var id: UUID
    var time: Date
    var actorId: UUID?
    var actorName: String
    var organisationId: UUID
    var action: String
    var targetType: String
    var targetId: String?
    var before: JSONValue?
    var after: JSONValue?
}

struct RecordQuery: Content {
    var q: String?
    var action: String?
    var applicationId: UUID?
    var code: Int?
    var from: Date?
    var to: Date?
}

/// The call log and the audit log, newest first, within the caller's organisations.
struct RecordController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("calls", use: calls)
        routes.get("audit", use: audit)
    }

    @Sendable func calls(_ request: Request) async throws -> Page<CallDTO> {
        let principal = try request.principal(requiring: .logRead)
        let filter = try Self.decode(request)
        let query = principal.scope.query(CallLogModel.self, on: request.db).sort(\.$time, .descending)
        if let id = filter.applicationId { query.filter(\.$applicationID == id) }
        if let action = filter.action, !action.isEmpty { query.filter(\.$action == action) }
        if let code = filter.code { query.filter(\.$code == code) }
        if let from = filter.from { query.filter(\.$time >= from) }
        if let to = filter.to { query.filter(\.$time <= to) }
        let page = try await query.page(try request.query.decode(PageRequest.self))
        let applications = try await ApplicationModel.query(on: request.db).filter(\.$id ~~ page.items.map(\.applicationID)).all()
        let names = Dictionary(uniqueKeysWithValues: applications.compactMap { a in a.id.map { ($0, a.name) } })
        return Page(items: try page.items.map { row in
            CallDTO(id: try row.requireID(), time: row.time, requestId: row.requestID, applicationId: row.applicationID,
                    applicationName: names[row.applicationID] ?? "", action: row.action, code: row.code,
                    latencyMs: row.latencyMs, engine: row.engine, callerIp: row.callerIP)
        }, total: page.total, page: page.page, size: page.size)
    }

    @Sendable func audit(_ request: Request) async throws -> Page<AuditDTO> {
        let principal = try request.principal(requiring: .auditRead)
        let filter = try Self.decode(request)
        let query = principal.scope.query(AuditLogModel.self, on: request.db).sort(\.$time, .descending)
        if let action = filter.action, !action.isEmpty { query.filter(\.$action == action) }
        if let text = filter.q?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            query.containing(text, in: ["actor_name", "action", "after"])
        }
        if let from = filter.from { query.filter(\.$time >= from) }
        if let to = filter.to { query.filter(\.$time <= to) }
        return try await query.page(try request.query.decode(PageRequest.self)) { row in
            AuditDTO(id: try row.requireID(), time: row.time, actorId: row.actorID, actorName: row.actorName,
                     organisationId: row.organisationID, action: row.action, targetType: row.targetType,
                     targetId: row.targetID, before: JSONValue(text: row.before), after: JSONValue(text: row.after))
        }
    }

    /// Query strings carry ISO 8601 times; a bad one is a 4000, not a 500.
    static func decode(_ request: Request) throws -> RecordQuery {
        let decoder = URLEncodedFormDecoder(configuration: .init(dateDecodingStrategy: .iso8601))
        do { return try request.query.decode(RecordQuery.self, using: decoder) } catch {
            throw PlatformFailure.invalid("bad filter: times are ISO 8601 (2026-11-23T08:00:00Z), code is a number")
        }
    }
}
