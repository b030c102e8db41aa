import Fluent
import Foundation

/// What the page is told when an attempt ends: the WebSocket's `result` message and the
/// answer to a recorded video's upload (docs/h5-protocol.md).
public struct AttemptAnswer: Codable, Sendable {
    public var type = "result"
    public var passed: Bool
    public var code: Int
    public var message: String
    public var attemptsLeft: Int
    public var redirectUrl: String?
}

/// Everything an attempt leaves behind once its frames are analysed, streamed or recorded.
struct AttemptEvidence: Sendable {
    var decision: ChallengeDecision
    /// The embedding and JPEG of the frame to compare with the reference (`ComparisonFrame`).
    var embedding: [Float]?
    var bestJPEG: Data?
    var audit: [Data]
    var timeline: Timeline
    var device: [String: String]
}

extension VerificationService {
    /// Applies the scene's liveness threshold and the reference compare to an analysed
    /// attempt, records it (state, scores, frames, callback) and answers what the page shows.
    func conclude(_ row: UUID, token: String, rules: SceneRules, attempt: Int, evidence: AttemptEvidence, at time: Double,
                  on db: any Database) async throws -> AttemptAnswer {
        let decision = evidence.decision
        var outcome = Outcome(decision: decision)
        if outcome.passed, Float(decision.livenessScore) < rules.livenessThreshold {
            outcome.fail(1005, "liveness score \(Int(decision.livenessScore)) below the scene's \(Int(rules.livenessThreshold))")
        }
        if let reference = try await openReference(for: row, on: db) {
            if let embedding = evidence.embedding {
                let score = faces.similarity(reference: reference, to: embedding)
                outcome.similarity = score
                if outcome.passed, score < Double(rules.similarityThreshold) {
                    outcome.fail(2016, "similarity \(Int(score)) below the scene's \(Int(rules.similarityThreshold))")
                }
            } else if outcome.passed {
                outcome.fail(1004, "no usable face to compare with the reference")
            }
        }
        var timeline = evidence.timeline
        timeline.append(attempt: attempt, at: time, kind: "decision", detail: "\(outcome.code) \(outcome.reason)")
        let record = try await finishAttempt(row, token: token, outcome: outcome, livenessScore: Double(decision.livenessScore),
                                             timeline: timeline, best: evidence.bestJPEG, audit: evidence.audit,
                                             device: evidence.device, on: db)
        return AttemptAnswer(passed: outcome.passed, code: outcome.code, message: Outcome.message(outcome.code),
                             attemptsLeft: record.attemptsLeft, redirectUrl: record.redirect)
    }
}
