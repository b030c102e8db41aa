/// Decides one attempt from its analysed frames, whatever its mode: the action tracker
/// (actions, identity, several faces, conditions), and in colour-flash and near-far modes
/// their checks, combined the one way the live session, the recorded video and
/// `veriface eval pad` all use.
///
/// - Colour flash: the tracker has no action and never passes alone; once the flash is
///   over and seen, its verdict decides (a pass still needs the tracker's learnt face).
/// - Near-far: the move is judged after its time; a bad move ends the attempt, a good one
///   waits for the tracker's pass (the blink).
/// - Silent (`passive`): a pass of the tracker (the natural blink) stands only if the
///   frames' static liveness clears `PassiveCheck`; otherwise 1301.
///
/// One per attempt, called from one task; not thread-safe.
public final class AttemptJudge {
    public let tracker: ChallengeTracker
    private var flashCheck: ColourFlashCheck?
    private var nearFarCheck: NearFarCheck?
    private var nearFarPassed = false
    private var passiveCheck: PassiveCheck?
    public private(set) var decision: ChallengeDecision?
    /// The checks' verdicts, for the attempt's timeline: kind ("colour_flash", "near_far",
    /// "static_liveness"), time, detail.
    public private(set) var verdicts: [(kind: String, at: Double, detail: String)] = []

    /// `passive`: silent mode's check of the frames' static liveness.
    public init(challenge: Challenge, rules: ChallengeRules = ChallengeRules(), passive: Bool = false) {
        tracker = ChallengeTracker(challenge: challenge, rules: rules)
        flashCheck = challenge.colourFlash.map { ColourFlashCheck(flash: $0) }
        nearFarCheck = challenge.nearFar.map { NearFarCheck(request: $0) }
        passiveCheck = passive ? PassiveCheck() : nil
    }

    public var wantsEmbedding: Bool { tracker.wantsEmbedding }
    public var showsColours: Bool { flashCheck != nil }

    /// When the page showed the flash's colours (step -1: the end), on the attempt's clock.
    public func flashShown(_ shown: [(step: Int, time: Double)]) {
        flashCheck?.report(shown)
    }

    /// One analysed frame; `update.decision` is this judge's decision once there is one.
    public func observe(_ signals: FrameSignals, frame: Int, at time: Double) -> ChallengeUpdate {
        var update = tracker.observe(signals, frame: frame, at: time)
        guard decision == nil else {
            update.decision = decision
            return update
        }
        nearFarCheck?.add(signals, at: time)
        if signals.faceCount == 1, let score = signals.staticLiveness { passiveCheck?.add(score) }
        if let decided = update.decision, !decided.passed || nearFarCheck == nil || nearFarPassed {
            decision = passiveCheck.map { judge($0, decided, at: time) } ?? decided
        } else if let check = nearFarCheck, !nearFarPassed, time >= check.request.judgedAfter {
            judge(check, at: time, done: update.done)
        } else if var check = flashCheck {
            if signals.faceCount == 1, let light = signals.light { check.add(light, at: time) }
            flashCheck = check
            if check.isComplete(at: time) { judge(check, at: time) }
        }
        update.decision = decision
        return update
    }

    /// The attempt ends without a decision from its frames (time up, the page left).
    public func finish(at time: Double) -> ChallengeDecision {
        if let decision { return decision }
        if let check = flashCheck, check.end != nil, tracker.decision == nil {
            judge(check, at: time)
        }
        if decision == nil {
            let decided = tracker.finish(at: time)
            decision = passiveCheck.map { judge($0, decided, at: time) } ?? decided
        }
        return decision!
    }

    /// A pass of the tracker checked against the frames' static liveness.
    private func judge(_ check: PassiveCheck, _ decided: ChallengeDecision, at time: Double) -> ChallengeDecision {
        guard decided.passed, let verdict = check.verdict() else { return decided }
        verdicts.append(("static_liveness", time, verdict.reason))
        guard !verdict.passed else { return decided }
        return ChallengeDecision(passed: false, code: ChallengeCode.suspectedRecording, reason: verdict.reason,
                                 done: decided.done, bestFrame: nil, livenessScore: 0)
    }

    private func judge(_ check: NearFarCheck, at time: Double, done: [DetectedAction]) {
        let verdict = check.verdict()
        verdicts.append(("near_far", time, verdict.reason))
        guard verdict.passed else {
            decision = ChallengeDecision(passed: false, code: verdict.code, reason: verdict.reason, done: done, bestFrame: nil, livenessScore: 0)
            return
        }
        nearFarPassed = true
        decision = tracker.decision
    }

    private func judge(_ check: ColourFlashCheck, at time: Double) {
        let verdict = check.verdict()
        verdicts.append(("colour_flash", time, verdict.reason))
        if verdict.passed {
            decision = tracker.confirm(at: time)
        } else {
            let code = verdict.stepsSeen == 0 ? ChallengeCode.livenessFailed : ChallengeCode.suspectedRecording
            decision = ChallengeDecision(passed: false, code: code, reason: verdict.reason, done: [], bestFrame: nil, livenessScore: 0)
        }
    }
}
