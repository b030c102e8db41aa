/// What one attempt asks of the user: the actions, in order, drawn at random from the
/// scene's pool, or (colour-flash mode) no action and the screen colours to reflect, or
/// (near-far mode) a move of the phone and a blink.
public struct Challenge: Codable, Sendable, Equatable {
    public var actions: [LivenessAction]
    public var colourFlash: ColourFlash?
    /// Near-far mode: the move asked for (with a blink as the action).
    public var nearFar: NearFar?
    /// Smart scenes: the mode chosen for this attempt; nil in other scenes (their own mode).
    public var mode: SceneRules.Mode?

    public init(actions: [LivenessAction], colourFlash: ColourFlash? = nil, nearFar: NearFar? = nil, mode: SceneRules.Mode? = nil) {
        self.actions = actions
        self.colourFlash = colourFlash
        self.nearFar = nearFar
        self.mode = mode
    }

    /// The mode this challenge runs in under a scene of `rules`.
    public func mode(under rules: SceneRules) -> SceneRules.Mode {
        mode ?? rules.mode
    }

    /// `count` distinct actions from `pool`, in random order. Two actions that look alike
    /// (nod and shake head both move the head; turn left and turn right are opposites)
    /// may both be drawn; their order is what a pre-recorded video cannot know.
    public static func draw<G: RandomNumberGenerator>(from pool: [LivenessAction], count: Int, using generator: inout G) -> Challenge {
        let distinct = Array(Set(pool)).sorted { $0.rawValue < $1.rawValue }
        return Challenge(actions: Array(distinct.shuffled(using: &generator).prefix(max(1, min(count, distinct.count)))))
    }

    public static func draw(from pool: [LivenessAction], count: Int) -> Challenge {
        var generator = SystemRandomNumberGenerator()
        return draw(from: pool, count: count, using: &generator)
    }
}
