import FaceServices
import Foundation
import Liveness

/// Runs one PAD sample as the server would judge it: a video through the live session's
/// analysis and `AttemptJudge` (face tracked, the embedding on one frame in three), near-far
/// proportions through `NearFarCheck`, injected frames through the frame encryption and gate.
enum PADPresentation {
    /// Whether the server accepted the presentation, its code and why.
    struct Outcome: Sendable {
        var accepted: Bool
        var code: Int
        var reason: String
    }

    static func run(_ sample: PADSample, on engine: FaceEngine) throws -> Outcome {
        switch sample.presentation {
        case .video(let path, let flashShown):
            let decision = try replay(path, challenge: sample.challenge, passive: sample.mode == .silent, flashShown: flashShown, on: engine)
            return Outcome(accepted: decision.passed, code: decision.code, reason: decision.reason)
        case .proportions(let samples):
            guard let request = sample.challenge.nearFar else { return Outcome(accepted: false, code: 1005, reason: "no move asked") }
            var check = NearFarCheck(request: request)
            for sample in samples { check.add(sample.value, yaw: 0, pitch: 0, at: sample.time) }
            let verdict = check.verdict()
            return Outcome(accepted: verdict.passed, code: verdict.code, reason: verdict.reason)
        case .injected(let stream):
            return inject(stream)
        }
    }

    static func replay(_ path: String, challenge: Challenge, passive: Bool, flashShown: [PADSample.FlashStep],
                       on engine: FaceEngine) throws -> ChallengeDecision {
        let reader = try VideoReader(path: path)
        var rules = ChallengeRules()
        rules.embedEvery = 3
        let judge = AttemptJudge(challenge: challenge, rules: rules, passive: passive)
        judge.flashShown(flashShown.map { ($0.step, $0.time) })
        var track: FaceTrack?
        var last = 0.0
        while let frame = try reader.next(sampledAt: 12) {
            let (signals, next) = try FrameAnalyzer.analyze(frame.image, on: engine, options: FrameAnalysisOptions(),
                                                            embed: judge.wantsEmbedding, track: track)
            track = next
            last = frame.time
            if let decision = judge.observe(signals, frame: frame.index, at: frame.time).decision { return decision }
        }
        return judge.finish(at: last + 1 / 12)
    }

    /// A frame that did not come from the page's session, against the session's own key and gate.
    static func inject(_ stream: PADSample.InjectedStream) -> Outcome {
        let server = FrameKeyExchange(), page = FrameKeyExchange(), attacker = FrameKeyExchange()
        let sessionID = "pad-evaluation"
        let now = Date()
        let millis = UInt64(now.timeIntervalSince1970 * 1000)
        let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x02, 0xFF, 0xD9])
        do {
            let receiving = try server.cipher(clientPublicKeyRaw: page.publicKeyRaw, sessionId: sessionID)
            let pageCipher = try page.cipher(clientPublicKeyRaw: server.publicKeyRaw, sessionId: sessionID)
            var gate = FrameGate()
            let frames: [Data]
            switch stream {
            case .otherSessionKey:
                let other = try attacker.cipher(clientPublicKeyRaw: FrameKeyExchange().publicKeyRaw, sessionId: sessionID)
                frames = [try other.seal(jpeg, counter: 1, captureMillis: millis)]
            case .replayedFrame:
                let frame = try pageCipher.seal(jpeg, counter: 1, captureMillis: millis)
                frames = [frame, frame]
            case .staleFrame:
                frames = [try pageCipher.seal(jpeg, counter: 1, captureMillis: millis - 60_000)]
            }
            for frame in frames {
                let (counter, capture, payload) = try receiving.open(frame)
                try gate.admit(counter: counter, captureMillis: capture, payload: payload, now: now)
            }
            return Outcome(accepted: true, code: 0, reason: "admitted")
        } catch let refusal as FrameRefusal {
            return Outcome(accepted: false, code: refusal.code, reason: "refused: \(refusal)")
        } catch {
            return Outcome(accepted: false, code: 4100, reason: "refused: \(error)")
        }
    }
}
