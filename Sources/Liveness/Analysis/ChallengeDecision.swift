import FaceServices

/// The outcome of one action challenge.
public struct ChallengeDecision: Sendable, Codable, Equatable {
    public var passed: Bool
    /// SPEC section 8: 0, 1004, 1005, 1201-1210, 1301 or 2012.
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
    public static let tooDark = 1201
    public static let tooBright = 1202
    public static let tooClose = 1203
    public static let offToTheRight = 1204
    public static let tooFar = 1205
    public static let offToTheLeft = 1206
    public static let noBlink = 1207
    public static let firstActionMissing = 1208
    public static let noMouthOpening = 1209
    public static let faceIncomplete = 1210
    public static let suspectedRecording = 1301
    public static let severalFaces = 2012

    /// The code for an action that was not seen within its window: blinks and mouth
    /// openings have their own, any other first action 1208, a later one 1005.
    public static func missing(_ action: LivenessAction, first: Bool) -> Int {
        switch action {
        case .blink: noBlink
        case .openMouth: noMouthOpening
        default: first ? firstActionMissing : livenessFailed
        }
    }

    /// The codes of the conditions in one frame's hints that, when they prevail while an
    /// action is due, say better than "not seen" why it was missed. Off centre is told by
    /// the side the face is on in the camera's image.
    public static func conditions(_ hints: [LivenessHint], box: Box?, imageWidth: Int) -> [Int] {
        hints.compactMap { hint -> Int? in
            switch hint {
            case .tooDark: return tooDark
            case .tooBright: return tooBright
            case .tooClose: return tooClose
            case .tooFar: return tooFar
            case .occluded: return faceIncomplete
            case .offCentre:
                guard let box else { return nil }
                let centre = box.x + box.width / 2
                return centre > Float(imageWidth) / 2 ? offToTheRight : offToTheLeft
            case .noFace, .severalFaces, .blurred, .faceChanged, .holdStill: return nil
            }
        }
    }
}
