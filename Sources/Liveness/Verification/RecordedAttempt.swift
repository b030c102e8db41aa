import FaceServices
import Fluent
import Foundation
import Logging

/// The page's recorded video, the downgrade path (docs/h5-protocol.md section 5): sealed
/// with the prepared session's key like a streamed frame, so only the page that holds that
/// session's key pair can upload for it, and analysed for that session's challenge.
public struct RecordedUpload: Sendable {
    /// The page's raw P-256 public key (65 bytes), as in the WebSocket's `hello`.
    public var clientPublicKey: Data
    /// One frame envelope (counter 1, capture time = the end of the recording) around the video.
    public var envelope: Data
    public var ip: String?
    public var device: [String: String]

    public init(clientPublicKey: Data, envelope: Data, ip: String?, device: [String: String]) {
        self.clientPublicKey = clientPublicKey
        self.envelope = envelope
        self.ip = ip
        self.device = device
    }
}

extension VerificationService {
    /// A recording may take its time over a weak network: its capture time (the end of the
    /// recording) may be this old when it arrives.
    static let recordingUploadWindow: Double = 180

    /// Runs one attempt from a recorded video and records it like a streamed one. A bad
    /// video (1101-1104, 1303) or envelope (41xx) is a failed attempt with that code, not
    /// an HTTP error; a verification that cannot run an attempt now throws 14 / 15 / 16.
    public func recordedAttempt(token: String, upload: RecordedUpload, logger: Logger, on db: any Database) async throws -> AttemptAnswer {
        let record = try await usableRecord(token: token, on: db)
        let row = try record.requireID()
        guard let prepared = await live.claim(row) else {
            throw LivenessFailure.closed(14, "open the page's session first, and only once")
        }
        do {
            try await begin(record, ip: upload.ip, userAgent: upload.device["userAgent"], on: db)
            let rules = try SceneService.rules(record.rulesJSON)
            var timeline = record.storedTimeline
            let attempt = record.attempts
            let (decision, examined) = await analyse(upload, prepared: prepared, passive: prepared.challenge.mode(under: rules) == .silent, logger: logger)
            for action in decision.done {
                timeline.append(attempt: attempt, at: action.completedAt, kind: "action", detail: action.action.rawValue)
            }
            timeline.detected = decision.done
            let evidence = AttemptEvidence(decision: decision, embedding: examined?.embedding, bestJPEG: examined?.bestJPEG,
                                           audit: examined?.audit ?? [], timeline: timeline, device: upload.device)
            let answer = try await conclude(row, token: token, rules: rules, attempt: attempt, evidence: evidence,
                                            at: examined?.duration ?? 0, on: db)
            await live.release(row)
            return answer
        } catch {
            await live.release(row)
            throw error
        }
    }

    /// The decision on an upload; failures of the upload itself become failed decisions.
    private func analyse(_ upload: RecordedUpload, prepared: LiveSessions.Pending, passive: Bool,
                         logger: Logger) async -> (ChallengeDecision, VideoLiveness.Examined?) {
        func failed(_ code: Int, _ reason: String) -> ChallengeDecision {
            ChallengeDecision(passed: false, code: code, reason: reason, done: [], bestFrame: nil, livenessScore: 0)
        }
        do {
            let video = try openRecording(upload, prepared: prepared)
            let examined = try await VideoLiveness(faces: faces).examine(video, challenge: prepared.challenge, passive: passive)
            return (examined.decision, examined)
        } catch let refusal as FrameRefusal {
            return (failed(refusal.code, LiveSession.describe(refusal)), nil)
        } catch let error as ServiceError {
            return (failed(error.code.rawValue, error.message), nil)
        } catch {
            logger.error("recorded video not analysed", metadata: ["error": "\(error)"])
            return (failed(ReturnCode.engineError.rawValue, "the video could not be analysed"), nil)
        }
    }

    /// The video inside the upload's envelope, if it is this session's first and only sealed message.
    private func openRecording(_ upload: RecordedUpload, prepared: LiveSessions.Pending) throws -> Data {
        guard let cipher = try? prepared.exchange.cipher(clientPublicKeyRaw: upload.clientPublicKey, sessionId: prepared.sessionID) else {
            throw FrameRefusal.badHandshake
        }
        let (counter, captureMillis, video) = try cipher.open(upload.envelope)
        guard counter == 1 else { throw FrameRefusal.replayed }
        let age = Date().timeIntervalSince1970 - Double(captureMillis) / 1000
        guard age >= -5, age <= Self.recordingUploadWindow else { throw FrameRefusal.stale }
        return video
    }
}
