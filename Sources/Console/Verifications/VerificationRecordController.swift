import Fluent
import Foundation
import Liveness
import Platform
import Vapor

/// One row of the verification list.
struct VerificationRowDTO: Content {
    var id: UUID
    var createdAt: Date?
    var applicationId: UUID
    var sceneId: String
    var sceneName: String
    var state: String
    var code: Int?
    var message: String?
    var livenessScore: Double?
    var similarity: Double?
    var attempts: Int
    var externalUserId: String?
    /// The challenge's actions (the current attempt's).
    var actions: [LivenessAction]
}

/// One verification with its timeline, device, callback and frames. The token hash, the
/// sealed reference and the blob ids stay on the server.
struct VerificationDetailDTO: Content {
    struct Callback: Content {
        var state: String
        var attempts: Int
        var lastError: String?
    }

    var id: UUID
    var createdAt: Date?
    var applicationId: UUID
    var applicationName: String
    var sceneId: String
    var sceneName: String
    /// The scene's liveness mode when the verification started.
    var mode: String?
    /// What the best frame was compared with: photo, person or none.
    var compareSource: String?
    var state: String
    var code: Int?
    var message: String?
    var livenessScore: Double?
    var similarity: Double?
    var attempts: Int
    var externalUserId: String?
    var actions: [LivenessAction]
    var detected: [DetectedAction]
    var timeline: [Timeline.Event]
    var device: JSONValue?
    var ip: String?
    var extra: String?
    var referencePerson: String?
    var redirectUrl: String?
    var callback: Callback?
    var startedAt: Date?
    var finishedAt: Date?
    var expiresAt: Date
    /// `data:image/jpeg;base64,...`; nil when none was kept (or it is gone, past retention).
    var bestFrame: String?
    var auditFrames: [String]
    /// Frames the record names that could not be read (deleted or damaged).
    var missingFrames: Int
}

struct VerificationQuery: Content {
    var state: String?
    var code: Int?
    var sceneId: String?
    var applicationId: UUID?
    var externalUserId: String?
    var from: Date?
    var to: Date?
}

/// The records of H5 liveness verifications, newest first, within the caller's organisations.
struct VerificationRecordController: RouteCollection {
    let platform: Platform

    func boot(routes: any RoutesBuilder) throws {
        let verifications = routes.grouped("verifications")
        verifications.get(use: list)
        verifications.get(":id", use: detail)
    }

    @Sendable func list(_ request: Request) async throws -> Page<VerificationRowDTO> {
        let principal = try request.principal(requiring: .verificationRead)
        let filter = try Self.decode(request)
        let query = principal.scope.query(VerificationModel.self, on: request.db).sort(\.$createdAt, .descending)
        if let state = filter.state?.trimmingCharacters(in: .whitespaces), !state.isEmpty {
            guard VerificationState(rawValue: state) != nil else {
                throw PlatformFailure.invalid("state is one of created, started, passed, failed, expired")
            }
            query.filter(\.$state == state)
        }
        if let code = filter.code { query.filter(\.$code == code) }
        if let id = filter.applicationId { query.filter(\.$applicationID == id) }
        if let user = filter.externalUserId, !user.isEmpty { query.filter(\.$externalUserID == user) }
        if let from = filter.from { query.filter(\.$createdAt >= from) }
        if let to = filter.to { query.filter(\.$createdAt <= to) }
        let pageRequest = try request.query.decode(PageRequest.self)
        if let sceneID = filter.sceneId?.trimmingCharacters(in: .whitespaces), !sceneID.isEmpty {
            let rows = try await principal.scope.query(SceneModel.self, on: request.db).filter(\.$sceneID == sceneID).all().compactMap(\.id)
            guard !rows.isEmpty else { return Page(items: [], total: 0, page: pageRequest.number, size: pageRequest.perPage) }
            query.filter(\.$sceneRow ~~ rows)
        }
        let page = try await query.page(pageRequest)
        let scenes = try await Self.scenes(page.items.map(\.sceneRow), on: request.db)
        return Page(items: try page.items.map { row in
            VerificationRowDTO(id: try row.requireID(), createdAt: row.createdAt, applicationId: row.applicationID,
                               sceneId: scenes[row.sceneRow]?.sceneID ?? "", sceneName: Self.sceneName(row, scenes[row.sceneRow]),
                               state: row.state, code: row.code, message: row.message, livenessScore: row.livenessScore,
                               similarity: row.similarity, attempts: row.attempts, externalUserId: row.externalUserID,
                               actions: row.storedChallenge?.actions ?? [])
        }, total: page.total, page: page.page, size: page.size)
    }

    @Sendable func detail(_ request: Request) async throws -> VerificationDetailDTO {
        let principal = try request.principal(requiring: .verificationRead)
        let row = try await principal.scope.find(VerificationModel.self, try request.id("id", "verification"), on: request.db, "verification")
        let id = try row.requireID()
        let scene = try await Self.scenes([row.sceneRow], on: request.db)[row.sceneRow]
        let application = try await ApplicationModel.find(row.applicationID, on: request.db)
        let snapshot = Self.rules(row.rulesJSON)
        let timeline = row.storedTimeline

        var missing = 0
        func frame(_ blob: String) -> String? {
            do { return "data:image/jpeg;base64," + (try platform.blobs.get(blob)).base64EncodedString() } catch {
                request.logger.warning("verification \(id): frame \(blob) unreadable: \(error)")
                missing += 1
                return nil
            }
        }
        let best = row.bestFrameBlob.flatMap(frame)
        let audit = row.storedAuditFrameIDs.compactMap(frame)

        // Who looked at whose face is itself on record.
        try await AuditLog.record("verification.view", by: try request.auditActor, target: "verification", id: id.uuidString,
                                  organisationID: row.organisationID, before: String?.none, after: String?.none, on: request.db)

        return VerificationDetailDTO(
            id: id, createdAt: row.createdAt, applicationId: row.applicationID, applicationName: application?.name ?? "",
            sceneId: scene?.sceneID ?? "", sceneName: Self.sceneName(row, scene), mode: snapshot?.mode, compareSource: snapshot?.compareSource,
            state: row.state, code: row.code, message: row.message, livenessScore: row.livenessScore, similarity: row.similarity,
            attempts: row.attempts, externalUserId: row.externalUserID, actions: row.storedChallenge?.actions ?? [],
            detected: timeline.detected, timeline: timeline.events, device: JSONValue(text: row.deviceJSON), ip: row.ip,
            extra: row.extra, referencePerson: row.referencePerson, redirectUrl: row.redirectURL,
            callback: row.callbackState.map { VerificationDetailDTO.Callback(state: $0, attempts: row.callbackAttempts, lastError: row.callbackError) },
            startedAt: row.startedAt, finishedAt: row.finishedAt, expiresAt: row.expiresAt,
            bestFrame: best, auditFrames: audit, missingFrames: missing)
    }

    /// The scene rows by id (scenes belong to the same organisation as their verifications).
    static func scenes(_ ids: [UUID], on db: any Database) async throws -> [UUID: SceneModel] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await SceneModel.query(on: db).filter(\.$id ~~ Array(Set(ids))).all()
        return Dictionary(uniqueKeysWithValues: rows.compactMap { s in s.id.map { ($0, s) } })
    }

    /// The name, mode and compare source from a rules JSON, without the rest of `SceneRules`' checks.
    struct RulesSummary: Decodable {
        var name: String?
        var mode: String?
        var compareSource: String?
    }

    static func rules(_ json: String) -> RulesSummary? {
        try? JSONDecoder().decode(RulesSummary.self, from: Data(json.utf8))
    }

    /// The scene's current name, or the one it had when the verification started.
    static func sceneName(_ row: VerificationModel, _ scene: SceneModel?) -> String {
        scene.flatMap { rules($0.rulesJSON)?.name } ?? rules(row.rulesJSON)?.name ?? ""
    }

    /// Query strings carry ISO 8601 times; a bad one is a 4000, not a 500.
    static func decode(_ request: Request) throws -> VerificationQuery {
        let decoder = URLEncodedFormDecoder(configuration: .init(dateDecodingStrategy: .iso8601))
        do { return try request.query.decode(VerificationQuery.self, using: decoder) } catch {
            throw PlatformFailure.invalid("bad filter: times are ISO 8601 (2026-11-23T08:00:00Z), code is a number, applicationId a UUID")
        }
    }
}
