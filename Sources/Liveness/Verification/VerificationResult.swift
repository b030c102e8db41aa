import Foundation
import Platform

/// What GetVerificationResult answers: the outcome, the scores, the challenge and what was
/// detected when, timings, device and address, the callback's delivery, and on request the
/// best frame and the audit frames (JPEG, base64).
public struct VerificationResult: Codable, Sendable {
    public struct Callback: Codable, Sendable {
        public var state: String
        public var attempts: Int
        public var lastError: String?
    }

    public var state: String
    public var passed: Bool
    public var code: Int?
    public var message: String?
    public var livenessScore: Double?
    public var similarity: Double?
    public var actions: [LivenessAction]
    public var detected: [DetectedAction]
    public var timeline: [Timeline.Event]
    public var attempts: Int
    public var createdAt: Date?
    public var startedAt: Date?
    public var finishedAt: Date?
    public var expiresAt: Date
    public var device: [String: String]?
    public var ip: String?
    public var externalUserId: String?
    public var extra: String?
    public var callback: Callback?
    public var bestFrame: String?
    public var auditFrames: [String]?

    init(_ record: VerificationModel, blobs: BlobStore?) throws {
        let timeline = record.storedTimeline
        state = record.state
        passed = record.state == VerificationState.passed.rawValue
        code = record.code
        message = record.message
        livenessScore = record.livenessScore
        similarity = record.similarity
        actions = record.storedChallenge?.actions ?? []
        detected = timeline.detected
        self.timeline = timeline.events
        attempts = record.attempts
        createdAt = record.createdAt
        startedAt = record.startedAt
        finishedAt = record.finishedAt
        expiresAt = record.expiresAt
        device = record.deviceJSON.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) }
        ip = record.ip
        externalUserId = record.externalUserID
        extra = record.extra
        callback = record.callbackState.map { Callback(state: $0, attempts: record.callbackAttempts, lastError: record.callbackError) }
        if let blobs {
            bestFrame = try record.bestFrameBlob.map { try blobs.get($0).base64EncodedString() }
            auditFrames = try record.storedAuditFrameIDs.map { try blobs.get($0).base64EncodedString() }
        }
    }
}
