import Crypto
import Fluent
import Logging
import Foundation

/// What the H5 page needs to run one attempt (docs/h5-protocol.md section 1).
public struct PageSession: Codable, Sendable {
    public var sessionId: String
    public var mode: SceneRules.Mode
    public var actions: [LivenessAction]
    public var actionTimeLimit: Double
    public var expiresAt: Date
    public var serverPublicKey: String
    public var frameInterval: Int
    public var redirectUrl: String?
    /// `video`: record and upload (section 5) rather than stream; the page also records
    /// when it cannot stream.
    public var capture: SceneRules.Capture
    /// How long a recording lasts: `recordLeadIn` seconds looking at the camera (the
    /// analysis learns the user's neutral face), then the actions in turn, evenly spaced.
    public var recordSeconds: Double
    public var recordLeadIn: Double
    /// Colour-flash mode: the colours to show and when (the page reports when it showed each).
    public var colourFlash: ColourFlash?
    /// Near-far mode: the move to ask for, then a blink (`actions`).
    public var nearFar: NearFar?
}

extension VerificationService {
    /// Frames about 12 a second.
    static let frameInterval = 83
    static let recordLeadIn = 1.5

    /// 3-6 s as SPEC section 3 asks: the lead-in, then about two seconds per action (less
    /// when four are asked); silent mode records four seconds to catch a natural blink.
    static func recordSeconds(mode: SceneRules.Mode, actions: Int) -> Double {
        mode == .silent ? 4 : min(6, max(3, recordLeadIn + 2 * Double(actions)))
    }

    /// Prepares the next attempt of the verification behind `token`: its challenge (the one
    /// drawn at start for the first attempt, a new one for each retry) and a fresh key pair.
    /// A smart scene chooses again with what the page's request adds: the device's failures
    /// and the verification's own.
    public func pageSession(token: String, ip: String?, userAgent: String?, on db: any Database) async throws -> PageSession {
        let record = try await usableRecord(token: token, on: db)
        let rules = try SceneService.rules(record.rulesJSON)
        var challenge = try JSONDecoder().decode(Challenge.self, from: Data(record.challengeJSON.utf8))
        if rules.mode == .smart {
            var timeline = record.storedTimeline
            let device = Self.deviceKey(ip: ip, userAgent: userAgent)
            let subject = record.externalUserID ?? record.referencePerson
            var risk = RiskSignals(verificationFailures: record.attempts)
            if let subject { risk.userFailures = try await failedAttempts(application: record.applicationID, subject: subject, on: db) }
            risk.deviceFailures = try await failedAttempts(application: record.applicationID, device: device, on: db)
            if record.attempts > 0 || SmartMode.choose(risk, capture: rules.capture).mode != challenge.mode(under: rules) {
                challenge = try self.challenge(for: rules, risk: risk, attempt: record.attempts, timeline: &timeline)
                record.challengeJSON = try Self.json(challenge)
                record.timelineJSON = try Self.json(timeline)
                try await record.save(on: db)
            }
        } else if record.attempts > 0 {
            challenge = try self.challenge(for: rules)
            record.challengeJSON = try Self.json(challenge)
            try await record.save(on: db)
        }
        let prepared = await live.prepare(try record.requireID(), challenge: challenge)
        let mode = challenge.mode(under: rules)
        return PageSession(sessionId: prepared.sessionID, mode: mode, actions: mode == .action || mode == .nearFar ? challenge.actions : [],
                           actionTimeLimit: rules.actionTimeLimit, expiresAt: record.expiresAt,
                           serverPublicKey: prepared.exchange.publicKeyRaw.base64EncodedString(),
                           frameInterval: Self.frameInterval, redirectUrl: record.redirectURL, capture: rules.capture,
                           recordSeconds: Self.recordSeconds(mode: mode, actions: challenge.actions.count),
                           recordLeadIn: Self.recordLeadIn, colourFlash: challenge.colourFlash,
                           nearFar: challenge.nearFar)
    }

    /// The verification behind `token` if a page may run an attempt of it now.
    func usableRecord(token: String, on db: any Database) async throws -> VerificationModel {
        guard let record = try await find(token: token, on: db) else { throw LivenessFailure.verificationNotFound }
        try await expireIfDue(record, on: db)
        let rules = try SceneService.rules(record.rulesJSON)
        switch VerificationState(rawValue: record.state) {
        case .created:
            if record.attempts >= rules.attemptLimit { throw LivenessFailure.closed(16, "no attempts left") }
            if await live.isStreaming(try record.requireID()) { throw LivenessFailure.closed(14, "the verification is already in progress") }
            return record
        case .started: throw LivenessFailure.closed(14, "the verification is already in progress")
        case .passed: throw LivenessFailure.closed(14, "the verification is already completed")
        case .failed: throw LivenessFailure.closed(16, "no attempts left")
        case .expired, nil: throw LivenessFailure.closed(15, "the BizToken has expired")
        }
    }
}

extension VerificationService {
    /// Marks the verification as running its next attempt, unless its device has failed
    /// too often lately (1007).
    func begin(_ record: VerificationModel, ip: String?, userAgent: String?, on db: any Database) async throws {
        let rules = try SceneService.rules(record.rulesJSON)
        let device = Self.deviceKey(ip: ip, userAgent: userAgent)
        if try await failedAttempts(application: record.applicationID, device: device, on: db) >= rules.deviceAttemptLimit {
            throw LivenessFailure.closed(1007, "too many failed attempts from this device in the last 24 hours")
        }
        record.state = VerificationState.started.rawValue
        record.attempts += 1
        record.startedAt = Date()
        record.ip = ip
        record.deviceKey = device
        try await record.save(on: db)
    }

    /// One device: its address and its browser. Coarse on purpose (no fingerprinting):
    /// enough to slow one machine trying photo after photo.
    static func deviceKey(ip: String?, userAgent: String?) -> String {
        SHA256.hash(data: Data("\(ip ?? "")|\(userAgent ?? "")".utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Starts streaming the attempt the page prepared (its WebSocket has just opened).
    public func openLive(token: String, ip: String?, userAgent: String?, outbound: LiveSession.Outbound, logger: Logger, on db: any Database) async throws -> LiveSession {
        let record = try await usableRecord(token: token, on: db)
        let row = try record.requireID()
        guard let prepared = await live.claim(row) else {
            throw LivenessFailure.closed(14, "open the page's session first, and only once")
        }
        do {
            try await begin(record, ip: ip, userAgent: userAgent, on: db)
        } catch {
            await live.release(row)
            throw error
        }
        let timeline = record.storedTimeline
        return LiveSession(service: self, db: db, row: row, token: token, prepared: prepared, rules: try SceneService.rules(record.rulesJSON),
                           attempt: record.attempts, timeline: timeline, outbound: outbound, logger: logger)
    }
}
