/// The colour-flash (炫彩) sequence of one attempt: the screen colours the page shows, in
/// order, each for its own time, drawn at random by the server. Light from a phone's
/// screen reaches the face a few centimetres away and barely the room behind it, so a
/// live face takes on each colour while it is shown; a photo, a screen replay or an
/// injected video cannot know the sequence or its timing in advance.
public struct ColourFlash: Codable, Sendable, Equatable {
    public enum Colour: String, Codable, Sendable, CaseIterable {
        case red, green, blue, yellow, magenta, cyan, white

        /// The screen's light, 0-1 per channel.
        public var rgb: SIMD3<Float> {
            switch self {
            case .red: SIMD3(1, 0, 0)
            case .green: SIMD3(0, 1, 0)
            case .blue: SIMD3(0, 0, 1)
            case .yellow: SIMD3(1, 1, 0)
            case .magenta: SIMD3(1, 0, 1)
            case .cyan: SIMD3(0, 1, 1)
            case .white: SIMD3(1, 1, 1)
            }
        }

        /// `#rrggbb` for the page.
        public var css: String {
            let v = rgb
            return "#" + [v.x, v.y, v.z].map { $0 > 0 ? "ff" : "00" }.joined()
        }
    }

    public struct Step: Codable, Sendable, Equatable {
        public var colour: Colour
        public var millis: Int

        public init(colour: Colour, millis: Int) {
            self.colour = colour
            self.millis = millis
        }
    }

    public var steps: [Step]
    /// Seconds after the camera opens before the first colour: the user settles and the
    /// analysis learns the face (the page also waits 1.5 s after its first frame).
    public var startAfter: Double

    public init(steps: [Step], startAfter: Double = 3) {
        self.steps = steps
        self.startAfter = startAfter
    }

    /// Seconds from the first colour to the end of the last.
    public var duration: Double { Double(steps.reduce(0) { $0 + $1.millis }) / 1000 }

    /// 5-7 steps of 500-700 ms (at 12 frames a second, 4 frames or more each), every
    /// colour at most once: no part of the sequence repeats another, so a recording that
    /// lags by whole steps never matches. Five steps at least: fewer would let light that
    /// does not follow the screen match by chance too often (see `ColourFlashCheck`).
    public static func draw<G: RandomNumberGenerator>(using generator: inout G) -> ColourFlash {
        let count = Int.random(in: 5...7, using: &generator)
        let colours = Colour.allCases.shuffled(using: &generator).prefix(count)
        return ColourFlash(steps: colours.map { Step(colour: $0, millis: 50 * Int.random(in: 10...14, using: &generator)) })
    }

    public static func draw() -> ColourFlash {
        var generator = SystemRandomNumberGenerator()
        return draw(using: &generator)
    }
}
