import Fluent
import Foundation

/// The result of one attempt after the scene's thresholds and the reference compare.
struct Outcome: Sendable {
    var passed: Bool
    var code: Int
    var reason: String
    var similarity: Double?

    init(decision: ChallengeDecision) {
        passed = decision.passed
        code = decision.passed ? 0 : decision.code
        reason = decision.reason
    }

    mutating func fail(_ code: Int, _ reason: String) {
        passed = false
        self.code = code
        self.reason = reason
    }

    /// The record's message for a code (the page shows its own text in the user's language).
    static func message(_ code: Int) -> String {
        switch code {
        case 0: "success"
        case 1004: "no usable face"
        case 1005: "liveness failed"
        case 1201: "too dark"
        case 1202: "too bright"
        case 1203: "too close"
        case 1205: "too far"
        case 1204, 1206: "face off centre"
        case 1207: "no blink detected"
        case 1208: "the action was not detected"
        case 1209: "no mouth opening detected"
        case 1210: "face incomplete"
        case 1301: "suspected non-live recording"
        case 1302: "face verification failed"
        case 2004: "bad image"
        case 2012: "several faces"
        case 2016: "similarity below the threshold"
        case 14: "already completed"
        case 15: "BizToken expired"
        case 16: "retry limit reached"
        case 4100...4105: "frame refused"
        default: "verification failed"
        }
    }
}

struct FinishedAttempt: Sendable {
    var attemptsLeft: Int
    /// Where the page sends the user: the scene's redirect with only the BizToken's
    /// verification reference, never the result.
    var redirect: String?
}

extension VerificationService {
    /// Opens the verification's reference feature, if it has one.
    func openReference(for row: UUID, on db: any Database) async throws -> [Float]? {
        guard let record = try await VerificationModel.find(row, on: db) else { return nil }
        return try openReference(record)
    }

    /// Records an attempt's outcome: state, code, scores, timeline, frames; queues the
    /// callback. The verification stays open for another attempt while attempts are left.
    func finishAttempt(_ row: UUID, token: String, outcome: Outcome, livenessScore: Double, timeline: Timeline, best: Data?, audit: [Data],
                       device: [String: String], on db: any Database) async throws -> FinishedAttempt {
        guard let record = try await VerificationModel.find(row, on: db) else { throw LivenessFailure.verificationNotFound }
        let rules = try SceneService.rules(record.rulesJSON)
        let oldBlobs = [record.bestFrameBlob].compactMap { $0 } + ((try? JSONDecoder().decode([String].self, from: Data(record.auditFrameBlobsJSON.utf8))) ?? [])
        let bestBlob = try best.map { try blobs.put($0) }
        let auditBlobs = try audit.map { try blobs.put($0) }
        let attemptsLeft = outcome.passed ? 0 : max(0, rules.attemptLimit - record.attempts)
        record.state = (outcome.passed ? VerificationState.passed : attemptsLeft > 0 ? .created : .failed).rawValue
        record.code = outcome.code
        record.message = outcome.passed ? Outcome.message(0) : "\(Outcome.message(outcome.code)): \(outcome.reason)"
        record.livenessScore = (livenessScore * 100).rounded() / 100
        record.similarity = outcome.similarity
        record.finishedAt = Date()
        record.timelineJSON = try Self.json(timeline)
        if !device.isEmpty { record.deviceJSON = try Self.json(device) }
        record.bestFrameBlob = bestBlob
        record.auditFrameBlobsJSON = try Self.json(auditBlobs)
        let hasCallback = rules.callbackURL != nil
        if hasCallback { record.callbackState = CallbackState.pending.rawValue }
        try await record.save(on: db)
        for blob in oldBlobs { try? blobs.delete(blob) }
        if hasCallback { await callbacks.enqueue(row) }
        let redirect = record.redirectURL.map { url in
            url + (url.contains("?") ? "&" : "?") + "token=" + (token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        }
        return FinishedAttempt(attemptsLeft: attemptsLeft, redirect: redirect)
    }
}
