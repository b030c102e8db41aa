/// An action seen in the motion of the user's face.
struct Detection: Sendable {
    var startedAt: Double
    var completedAt: Double
    /// How far past its threshold the action went (1 = just reached it).
    var strength: Float
}

/// Watches the per-frame motion for one action. Each detector first waits for the user's
/// neutral state (eyes open, mouth closed, head straight): a movement only counts from
/// rest, so an action cannot be completed by what the user was already doing when it
/// became due, and a still image can never complete one.
protocol ActionDetector: Sendable {
    var action: LivenessAction { get }
    mutating func observe(_ motion: Motion) -> Detection?
}

/// Thresholds of one detector; `ChallengeRules` holds the ordinary ones and scales them for
/// the stricter "clearly performed" check of a later action.
struct DetectorThresholds: Sendable {
    var eyesClosed: Float
    var eyesReopened: Float
    var longestBlink: Double
    var mouthOpen: Float
    var mouthOpenSeconds: Double
    var turn: Float
    var shake: Float
    var shakeWithin: Double
    var nod: Float
    var nodWithin: Double
    /// Beyond these the eye and mouth ratios are distorted by the head pose itself.
    var steadyYaw: Float
    var steadyPitch: Float
}

func makeDetector(_ action: LivenessAction, _ thresholds: DetectorThresholds) -> any ActionDetector {
    switch action {
    case .blink: BlinkDetector(thresholds: thresholds)
    case .openMouth: MouthDetector(thresholds: thresholds)
    case .turnLeft: TurnDetector(action: .turnLeft, thresholds: thresholds)
    case .turnRight: TurnDetector(action: .turnRight, thresholds: thresholds)
    case .shakeHead: ShakeDetector(thresholds: thresholds)
    case .nod: NodDetector(thresholds: thresholds)
    }
}

/// Eyes close (below a share of the user's own open eye) and open again, within a blink's
/// time. Frames with the head turned or tilted are skipped: looking down narrows the eyes.
struct BlinkDetector: ActionDetector {
    let thresholds: DetectorThresholds
    var action: LivenessAction { .blink }
    private var armed = false
    private var closedSince: Double?
    private var lowest: Float = 1

    init(thresholds: DetectorThresholds) { self.thresholds = thresholds }

    mutating func observe(_ m: Motion) -> Detection? {
        guard abs(m.yaw) <= thresholds.steadyYaw, abs(m.pitch) <= thresholds.steadyPitch else { return nil }
        if let since = closedSince {
            lowest = min(lowest, m.eyes)
            if m.eyes >= thresholds.eyesReopened {
                closedSince = nil
                guard m.time - since <= thresholds.longestBlink else { return nil }
                let depth = (1 - lowest) / max(1 - thresholds.eyesClosed, 0.01)
                return Detection(startedAt: since, completedAt: m.time, strength: depth)
            }
        } else if m.eyes >= thresholds.eyesReopened {
            armed = true
        } else if armed && m.eyes <= thresholds.eyesClosed {
            closedSince = m.time
            lowest = m.eyes
        }
        return nil
    }
}

/// The mouth opens well beyond the user's resting mouth and stays open a moment (talking
/// opens it in brief flickers).
struct MouthDetector: ActionDetector {
    let thresholds: DetectorThresholds
    var action: LivenessAction { .openMouth }
    private var armed = false
    private var openSince: Double?
    private var openFrames = 0
    private var widest: Float = 0

    init(thresholds: DetectorThresholds) { self.thresholds = thresholds }

    mutating func observe(_ m: Motion) -> Detection? {
        guard m.mouth >= thresholds.mouthOpen else {
            openSince = nil
            if m.mouth <= thresholds.mouthOpen / 2 { armed = true }
            return nil
        }
        guard armed else { return nil }
        if openSince == nil { openSince = m.time; openFrames = 0; widest = 0 }
        openFrames += 1
        widest = max(widest, m.mouth)
        guard let since = openSince, openFrames >= 2, m.time - since >= thresholds.mouthOpenSeconds else { return nil }
        return Detection(startedAt: since, completedAt: m.time, strength: widest / thresholds.mouthOpen)
    }
}

/// The head turns to one side, to the user's own left (positive yaw) or right, by the
/// threshold, on two frames in a row.
struct TurnDetector: ActionDetector {
    let action: LivenessAction
    let thresholds: DetectorThresholds
    private var armed = false
    private var movingSince: Double?
    private var framesBeyond = 0
    private var furthest: Float = 0

    init(action: LivenessAction, thresholds: DetectorThresholds) {
        self.action = action
        self.thresholds = thresholds
    }

    mutating func observe(_ m: Motion) -> Detection? {
        let toward = action == .turnLeft ? m.yaw : -m.yaw
        if toward <= thresholds.turn / 2 { armed = true }
        guard armed else { return nil }
        if toward < thresholds.turn / 3 { movingSince = nil; framesBeyond = 0; return nil }
        if movingSince == nil { movingSince = m.time; framesBeyond = 0; furthest = 0 }
        furthest = max(furthest, toward)
        guard toward >= thresholds.turn else { return nil }
        framesBeyond += 1
        guard framesBeyond >= 2, let since = movingSince else { return nil }
        return Detection(startedAt: since, completedAt: m.time, strength: furthest / thresholds.turn)
    }
}

/// The head turns to both sides, one after the other, within a few seconds.
struct ShakeDetector: ActionDetector {
    let thresholds: DetectorThresholds
    var action: LivenessAction { .shakeHead }
    private var armed = false
    /// The last time the head was beyond the threshold on each side, and when that
    /// excursion began.
    private var left: (began: Double, last: Double)?
    private var right: (began: Double, last: Double)?
    private var furthest: Float = 0

    init(thresholds: DetectorThresholds) { self.thresholds = thresholds }

    mutating func observe(_ m: Motion) -> Detection? {
        if abs(m.yaw) <= thresholds.shake / 2 { armed = true }
        guard armed else { return nil }
        if m.yaw >= thresholds.shake {
            left = (left.map { m.time - $0.last < 0.5 ? $0.began : m.time } ?? m.time, m.time)
        } else if m.yaw <= -thresholds.shake {
            right = (right.map { m.time - $0.last < 0.5 ? $0.began : m.time } ?? m.time, m.time)
        } else {
            return nil
        }
        furthest = max(furthest, abs(m.yaw))
        guard let left, let right else { return nil }
        let first = left.began < right.began ? left : right
        let second = left.began < right.began ? right : left
        // Both sides within the time of one shake: the second excursion starts soon after the first ends.
        guard second.began - first.last <= thresholds.shakeWithin else { return nil }
        return Detection(startedAt: first.began, completedAt: m.time, strength: furthest / thresholds.shake)
    }
}

/// The head tilts down (or up) by the threshold and comes back, within a few seconds, while
/// facing the camera (a turned head would move the pitch estimate too).
struct NodDetector: ActionDetector {
    let thresholds: DetectorThresholds
    var action: LivenessAction { .nod }
    private var armed = false
    private var tilted: (began: Double, furthest: Float)?
    private var movingSince: Double?

    init(thresholds: DetectorThresholds) { self.thresholds = thresholds }

    mutating func observe(_ m: Motion) -> Detection? {
        let away = abs(m.pitch)
        if away <= thresholds.nod / 2 && abs(m.yaw) <= thresholds.steadyYaw { armed = true }
        guard armed else { return nil }
        if let excursion = tilted {
            if m.time - excursion.began > thresholds.nodWithin {
                tilted = nil // held too long: a changed posture, not a nod
                armed = false
            } else if away <= thresholds.nod / 3 {
                tilted = nil
                return Detection(startedAt: excursion.began, completedAt: m.time, strength: excursion.furthest / thresholds.nod)
            } else {
                tilted = (excursion.began, max(excursion.furthest, away))
            }
            return nil
        }
        if away < thresholds.nod / 3 { movingSince = nil; return nil }
        if movingSince == nil { movingSince = m.time }
        if away >= thresholds.nod && abs(m.yaw) <= thresholds.turn, let since = movingSince {
            tilted = (since, away)
        }
        return nil
    }
}
