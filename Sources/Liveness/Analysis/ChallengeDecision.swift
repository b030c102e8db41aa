/// The outcome of one action challenge.
public struct ChallengeDecision: Sendable, Codable, Equatable {
    public var passed: Bool
    /// SPEC section 8: 0, 1004, 1005, 1207, 1209, 1301 or 2012.
    public var code: Int
    /// A short English explanation for the record.
    public var reason: String
    public var done: [DetectedAction]
    /// Frame number (as passed to `observe`) of the best frontal, sharp, open-eyed frame.
    public var bestFrame: Int?
    /// 0-100; 50 and above only when passed.
    public var livenessScore: Float

    public init(passed: Bool, code: Int, reason: String, done: [DetectedAction], bestFrame: Int?, livenessScore: Float) {
        self.passed = passed; self.code = code; self.reason = reason; self.done = done
        self.bestFrame = bestFrame; self.livenessScore = livenessScore
    }
}

/// What the tracker says after one frame.
public struct ChallengeUpdate: Sendable {
    /// Hints for this frame; empty = all good.
    public var hints: [LivenessHint]
    /// Index of the action to do now (== the number of actions when all are done).
    public var current: Int
    /// Actions recognised so far, in order.
    public var done: [DetectedAction]
    /// Non-nil once decided.
    public var decision: ChallengeDecision?

    public init(hints: [LivenessHint], current: Int, done: [DetectedAction], decision: ChallengeDecision?) {
        self.hints = hints; self.current = current; self.done = done; self.decision = decision
    }
}

/// The return codes a challenge can end with (SPEC section 8).
public enum ChallengeCode {
    public static let passed = 0
    public static let noUsableFace = 1004
    public static let livenessFailed = 1005
    public static let noBlink = 1207
    public static let noMouthOpening = 1209
    public static let suspectedRecording = 1301
    public static let severalFaces = 2012

    /// The code for an action that was not seen within its window.
    public static func missing(_ action: LivenessAction) -> Int {
        switch action {
        case .blink: noBlink
        case .openMouth: noMouthOpening
        default: livenessFailed
        }
    }
}
