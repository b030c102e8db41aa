import Foundation

/// Follows one user through an action challenge, frame by frame, and decides it.
///
/// The first usable frames make the user's baseline (neutral pose, own open eyes and
/// resting mouth, reference embedding); then each action is due in turn, with its own time
/// window, and is recognised from the motion relative to that baseline. The decision comes
/// as soon as it is certain: right after the last action, at the first missed window, or
/// as soon as another person, several faces or an action out of order is seen.
///
/// One per session, called from one actor; not thread-safe.
public final class ChallengeTracker {
    public let challenge: Challenge
    public let rules: ChallengeRules
    /// Set once decided (pass or fail); later frames change nothing.
    public private(set) var decision: ChallengeDecision?

    private var baseline: UserBaseline
    private var identity: IdentityTracker
    private var best = BestFrame()
    private var setup: [SetupFrame] = []
    private var setupAll: [SetupFrame] = []
    private var firstFrameTime: Double?
    /// When the current action became due; nil until the baseline is known.
    private var dueSince: Double?
    private var current = 0
    private var detector: (any ActionDetector)?
    /// Strict detectors of the later actions: one clearly done now means a recording.
    private var watchers: [any ActionDetector] = []
    private var done: [DetectedAction] = []
    private var strengths: [Float] = []
    private var window = FrameCounts()
    private var severalSince: Double?
    private var previous: (signals: FrameSignals, time: Double)?
    private var framesSinceEmbedding = 0
    private var sawFace = false
    private var suspectOther = false

    public init(challenge: Challenge, rules: ChallengeRules = ChallengeRules()) {
        self.challenge = challenge
        self.rules = rules
        baseline = UserBaseline(window: rules.baselineWindow)
        identity = IdentityTracker(sameFace: rules.sameFace, otherFace: rules.otherFace)
    }

    /// Whether the next frame needs its embedding (`FrameAnalyzer.analyze(_:embed:)`): the
    /// embedding is the costliest stage, and identity changes slowly. Always while the
    /// baseline is learnt, while another face is suspected and when the face comes back
    /// after being lost; otherwise on every `rules.embedEvery`-th frame.
    public var wantsEmbedding: Bool {
        dueSince == nil || suspectOther || !sawFace || framesSinceEmbedding + 1 >= rules.embedEvery
    }

    /// One analysed frame; `time` = seconds since the session's first frame (from capture timestamps).
    public func observe(_ signals: FrameSignals, frame: Int, at time: Double) -> ChallengeUpdate {
        if firstFrameTime == nil { firstFrameTime = time }
        framesSinceEmbedding = signals.embedding != nil ? 0 : framesSinceEmbedding + 1
        sawFace = signals.box != nil
        var hints = FrameHints.of(signals, previous: previous, at: time, rules: rules)
        previous = (signals, time)
        guard decision == nil else { return update(hints) }

        let several = signals.box != nil && signals.significantFaces(share: rules.otherFaceSize) > 1
        let sample = Self.sample(signals, at: time)
        let usable = !several && sample != nil && (signals.meshPresence ?? 1) >= rules.hints.occluded
        window.add(usable: usable, several: several,
                   conditions: ChallengeCode.conditions(hints, box: signals.box, imageWidth: signals.imageWidth))

        if several {
            let since = severalSince ?? time
            severalSince = since
            if time - since >= rules.severalFacesSeconds {
                fail(ChallengeCode.severalFaces, "several faces for \(format(time - since)) s")
                return update(hints)
            }
        } else {
            severalSince = nil
        }

        let motion = dueSince != nil ? sample.map { baseline.relative($0) } : nil
        var sameUser = true
        if !several, let embedding = signals.embedding, identity.hasReference,
           motion.map({ abs($0.yaw) <= rules.identityYaw && abs($0.pitch) <= rules.identityPitch }) ?? true {
            let judged = identity.judge(embedding, at: time)
            suspectOther = judged.verdict == .other
            if judged.verdict == .other {
                sameUser = false
                hints.append(.faceChanged)
                if judged.otherFor.frames >= rules.faceChangedFrames && judged.otherFor.seconds >= rules.faceChangedSeconds {
                    fail(ChallengeCode.suspectedRecording, "the face changed to another person")
                    return update(hints)
                }
            }
        }

        if usable, sameUser, let sample {
            if let motion {
                best.consider(frame: frame, quality: signals.quality ?? 0, motion: motion)
                follow(motion, at: time)
                baseline.add(sample)
            } else {
                // Learning the neutral pose needs a steady head.
                if !setup.isEmpty && setup.count < setupAll.count && !hints.contains(.holdStill) { hints.append(.holdStill) }
                collectBaseline(SetupFrame(sample: sample, embedding: signals.embedding, frame: frame,
                                           quality: signals.quality ?? 0), at: time)
            }
        }
        if decision == nil { checkDeadline(at: time, ended: false) }
        return update(hints)
    }

    /// Ends now (session time up, user left): the decision from what was seen.
    public func finish(at time: Double) -> ChallengeDecision {
        if let decision { return decision }
        checkDeadline(at: time, ended: true)
        if let decision { return decision }
        // Unreachable: an ended challenge always fails above; kept total for safety.
        fail(ChallengeCode.livenessFailed, "ended undecided")
        return decision ?? ChallengeDecision(passed: false, code: ChallengeCode.livenessFailed, reason: "ended",
                                             done: done, bestFrame: nil, livenessScore: 0)
    }

    /// For a challenge without actions (colour flash), whose liveness another check decided:
    /// the check passed, so the attempt passes once the user's face was learnt and a frame
    /// fit for comparison was seen. Already decided (several faces, another person): that.
    public func confirm(at time: Double) -> ChallengeDecision {
        if let decision { return decision }
        if dueSince == nil {
            checkDeadline(at: time, ended: true)
        } else {
            pass()
        }
        return decision ?? ChallengeDecision(passed: false, code: ChallengeCode.noUsableFace, reason: "no face learnt",
                                             done: done, bestFrame: nil, livenessScore: 0)
    }

    // MARK: Steps

    private func collectBaseline(_ frame: SetupFrame, at time: Double) {
        // Another person during setup restarts it: the baseline must be one person's.
        if let embedding = frame.embedding, let mean = IdentityTracker.mean(setup.compactMap(\.embedding)),
           IdentityTracker.dot(mean, embedding) < rules.otherFace {
            setup.removeAll()
            setupAll.removeAll()
        }
        setup.append(frame)
        setupAll.append(frame)
        // Only a steady head makes a neutral pose: a user already turning (driving_d3 starts
        // with a turn to her right) would otherwise shift every later angle.
        while setup.count > 1, Self.spread(setup.map(\.sample.yaw)) > rules.baselineSteadiness
                || Self.spread(setup.map(\.sample.pitch)) > rules.baselineSteadiness {
            setup.removeFirst()
        }
        let steady = setup.count >= rules.baselineFrames && time - (setup.first?.sample.time ?? time) >= rules.baselineSeconds
        // A user who never holds still (driving_d12) gets the median of everything so far
        // rather than no baseline at all.
        let restless = setupAll.count >= rules.baselineFrames
            && time - (setupAll.first?.sample.time ?? time) >= rules.baselineFallbackSeconds
        guard steady || restless else { return }
        if !steady { setup = setupAll }
        let embeddings = setup.compactMap(\.embedding)
        guard !embeddings.isEmpty else { return }
        for frame in setup { baseline.add(frame.sample) }
        identity.setReference(embeddings)
        for frame in setup {
            best.consider(frame: frame.frame, quality: frame.quality, motion: baseline.relative(frame.sample))
        }
        setup.removeAll()
        setupAll.removeAll()
        becomeDue(0, at: time)
    }

    private func follow(_ motion: Motion, at time: Double) {
        guard var active = detector else { return }
        let seen = active.observe(motion)
        detector = active
        if let seen {
            done.append(DetectedAction(action: active.action, startedAt: seen.startedAt, completedAt: seen.completedAt))
            strengths.append(seen.strength)
            becomeDue(current + 1, at: time)
            if current == challenge.actions.count { pass() }
            return
        }
        for index in watchers.indices {
            if let seen = watchers[index].observe(motion) {
                let action = watchers[index].action
                fail(ChallengeCode.suspectedRecording,
                     "\(action.rawValue) done at \(format(seen.completedAt)) s while \(challenge.actions[current].rawValue) was due")
                return
            }
        }
    }

    private func becomeDue(_ index: Int, at time: Double) {
        current = index
        dueSince = time
        window = FrameCounts()
        guard index < challenge.actions.count else { detector = nil; watchers = []; return }
        let action = challenge.actions[index]
        detector = makeDetector(action, rules.ordinary)
        watchers = challenge.actions[(index + 1)...]
            .filter { Self.isEvidence($0, whileDoing: action) && $0 != action }
            .map { makeDetector($0, rules.clear) }
    }

    private func checkDeadline(at time: Double, ended: Bool) {
        if let due = dueSince {
            guard ended || time - due > rules.actionTimeLimit, current < challenge.actions.count else { return }
            let action = challenge.actions[current]
            if window.share(window.several) >= 0.5 {
                fail(ChallengeCode.severalFaces, "several faces while \(action.rawValue) was due")
            } else if let (code, share) = window.prevailingCondition() {
                fail(code, "\(action.rawValue) not seen: condition \(code) in \(Int(share * 100))% of the frames")
            } else if window.frames > 0 && window.share(window.usable) < rules.usableShare {
                fail(ChallengeCode.noUsableFace, "no usable face while \(action.rawValue) was due")
            } else {
                fail(ChallengeCode.missing(action, first: current == 0), "\(action.rawValue) not seen within \(format(time - due)) s")
            }
        } else if let first = firstFrameTime, ended || time - first > rules.actionTimeLimit {
            if window.share(window.several) >= 0.5 {
                fail(ChallengeCode.severalFaces, "several faces, no single user to follow")
            } else if let (code, share) = window.prevailingCondition() {
                fail(code, "no start: condition \(code) in \(Int(share * 100))% of the frames")
            } else {
                fail(ChallengeCode.noUsableFace, "no usable face in \(format(time - first)) s")
            }
        }
    }

    // MARK: Decisions

    private func pass() {
        guard let frame = best.frame, best.quality >= rules.bestFrameQuality else {
            fail(ChallengeCode.noUsableFace, "actions done, but no frame good enough to compare (best quality \(format(Double(best.quality))))")
            return
        }
        // 70 for a pass (above the scenes' default threshold of 60), up to 30 more as the
        // actions go beyond their thresholds.
        let margins = strengths.map { min(max($0 - 1, 0), 1) }
        let margin = margins.isEmpty ? 0 : margins.reduce(0, +) / Float(margins.count)
        decision = ChallengeDecision(passed: true, code: ChallengeCode.passed, reason: "all actions done in order",
                                     done: done, bestFrame: frame, livenessScore: 70 + 30 * margin)
    }

    private func fail(_ code: Int, _ reason: String) {
        let share = challenge.actions.isEmpty ? 0 : Float(done.count) / Float(challenge.actions.count)
        decision = ChallengeDecision(passed: false, code: code, reason: reason, done: done,
                                     bestFrame: best.frame, livenessScore: 40 * share)
    }

    private func update(_ hints: [LivenessHint]) -> ChallengeUpdate {
        ChallengeUpdate(hints: hints, current: current, done: done, decision: decision)
    }

    // MARK: Helpers

    /// Whether a later action, clearly done while `current` is due, betrays a recording.
    /// Blinks are involuntary; turning and shaking share the same movement.
    static func isEvidence(_ later: LivenessAction, whileDoing current: LivenessAction) -> Bool {
        if later == .blink { return false }
        let turns: Set<LivenessAction> = [.turnLeft, .turnRight]
        if (current == .shakeHead && turns.contains(later)) || (turns.contains(current) && later == .shakeHead) { return false }
        return true
    }

    static func spread(_ values: [Float]) -> Float { (values.max() ?? 0) - (values.min() ?? 0) }

    static func sample(_ s: FrameSignals, at time: Double) -> PoseSample? {
        guard let yaw = s.yaw, let pitch = s.pitch, let eyes = s.eyeOpenness, let mouth = s.mouthOpenness else { return nil }
        return PoseSample(time: time, yaw: yaw, pitch: pitch, eyes: eyes, mouth: mouth)
    }

    private func format(_ seconds: Double) -> String { String(format: "%.1f", seconds) }
}

/// A usable frame seen before the baseline is known.
private struct SetupFrame {
    var sample: PoseSample
    var embedding: [Float]?
    var frame: Int
    var quality: Float
}

/// Frames of the current window, by kind.
struct FrameCounts {
    var frames = 0
    var usable = 0
    var several = 0
    /// Frames per condition code (`ChallengeCode.conditions`).
    var conditions: [Int: Int] = [:]

    mutating func add(usable: Bool, several: Bool, conditions codes: [Int]) {
        frames += 1
        if usable { self.usable += 1 }
        if several { self.several += 1 }
        for code in codes { conditions[code, default: 0] += 1 }
    }

    func share(_ count: Int) -> Double { frames > 0 ? Double(count) / Double(frames) : 0 }

    /// The condition present in at least half the frames (the most frequent one).
    func prevailingCondition() -> (code: Int, share: Double)? {
        guard let (code, count) = conditions.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }),
              share(count) >= 0.5 else { return nil }
        return (code, share(count))
    }
}
