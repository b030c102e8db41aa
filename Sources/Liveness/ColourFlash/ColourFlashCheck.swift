import FaceServices

/// Whether the light on the face followed the screen's colours, in colour and in time.
///
/// Each analysed frame gives the face's chromaticity (r, g, b over their sum) minus the
/// background's: the room's light and the camera's white balance move both, the screen's
/// light mostly the face. For every colour step, the frames inside the time the page says
/// it showed that colour (shifted by the camera's delay, searched in `lags`, and without
/// the first `settle` seconds of each step) are averaged. Centred over the steps, those
/// averages must point the way the screen's colours point (correlation at least
/// `minCorrelation`) and move enough to be light rather than noise (`minAmplitude`).
///
/// A photo or a screen replay takes on no colour (amplitude), a video tinted with another
/// sequence, or at other times, points elsewhere (correlation).
public struct ColourFlashCheck: Sendable {
    public struct Rules: Sendable {
        /// Seconds between the page reporting a colour and the camera showing it: a phone's
        /// camera pipeline takes 50-300 ms; the lower end stays below zero for the page's
        /// own clock reading (it is taken when the colour is painted, not when it is lit).
        public var lags: [Double] = stride(from: -0.2, through: 0.5, by: 0.05).map { $0 }
        /// The start of each step left out (the screen and the camera's exposure settle).
        public var settle = 0.1
        public var minCorrelation: Float = 0.8
        /// RMS over the steps of the centred chromaticity shift, about 0.01: a white-to-red
        /// screen at a hand's length moves the skin's red share by 0.02-0.05.
        public var minAmplitude: Float = 0.006
        /// Steps that need at least one frame for a verdict.
        public var minStepsSeen = 0.8

        public init() {}
    }

    struct Verdict: Sendable, Equatable {
        var passed: Bool
        var correlation: Float
        var amplitude: Float
        var lag: Double
        var stepsSeen: Int
        var reason: String
    }

    let flash: ColourFlash
    let rules: Rules
    private(set) var samples: [(time: Double, value: SIMD3<Float>)] = []
    /// Session seconds at which the page showed each step; `end` when the flash ended.
    private(set) var shownAt: [Int: Double] = [:]
    private(set) var end: Double?

    init(flash: ColourFlash, rules: Rules = Rules()) {
        self.flash = flash
        self.rules = rules
    }

    mutating func add(_ light: LightOnFace, at time: Double) {
        guard light.background.sum() > 0 else { return }
        let value = light.face / max(light.face.sum(), 1) - light.background / max(light.background.sum(), 1)
        samples.append((time, value))
    }

    /// Takes a frame's report (times already on the session's clock); the first report of
    /// each step counts, later ones cannot move it.
    mutating func report(_ shown: [(step: Int, time: Double)]) {
        for entry in shown {
            if entry.step == -1 {
                if end == nil { end = entry.time }
            } else if entry.step < flash.steps.count, shownAt[entry.step] == nil {
                shownAt[entry.step] = entry.time
            }
        }
    }

    /// The flash ended and the camera has had time to show its last step.
    func isComplete(at time: Double) -> Bool {
        guard let end else { return false }
        return time >= end + (rules.lags.last ?? 0) + 0.1
    }

    func verdict() -> Verdict {
        guard let end, shownAt.count == flash.steps.count else {
            return Verdict(passed: false, correlation: 0, amplitude: 0, lag: 0, stepsSeen: 0,
                           reason: "the page did not report every colour it showed")
        }
        var best = Verdict(passed: false, correlation: -1, amplitude: 0, lag: 0, stepsSeen: 0, reason: "")
        for lag in rules.lags {
            let seen = measure(lag: lag, end: end)
            guard Double(seen.count) >= rules.minStepsSeen * Double(flash.steps.count), seen.count >= 3 else { continue }
            let observed = centred(seen.map(\.observed))
            let expected = centred(seen.map { flash.steps[$0.step].colour.rgb / flash.steps[$0.step].colour.rgb.sum() })
            let dot = zip(observed, expected).reduce(Float(0)) { $0 + ($1.0 * $1.1).sum() }
            let norms = (observed.reduce(Float(0)) { $0 + ($1 * $1).sum() }).squareRoot()
                * (expected.reduce(Float(0)) { $0 + ($1 * $1).sum() }).squareRoot()
            let correlation = norms > 0 ? dot / norms : 0
            let amplitude = (observed.reduce(Float(0)) { $0 + ($1 * $1).sum() } / Float(observed.count)).squareRoot()
            if correlation > best.correlation {
                best = Verdict(passed: false, correlation: correlation, amplitude: amplitude, lag: lag, stepsSeen: seen.count, reason: "")
            }
        }
        guard best.stepsSeen > 0 else {
            return Verdict(passed: false, correlation: 0, amplitude: 0, lag: 0, stepsSeen: 0,
                           reason: "too few frames with a face during the colour flash")
        }
        best.passed = best.correlation >= rules.minCorrelation && best.amplitude >= rules.minAmplitude
        best.reason = String(format: "light on the face against the screen's colours: correlation %.2f, amplitude %.4f, delay %.2f s",
                             best.correlation, best.amplitude, best.lag)
        return best
    }

    /// The mean value of the frames inside each step, for the steps that had frames.
    private func measure(lag: Double, end: Double) -> [(step: Int, observed: SIMD3<Float>)] {
        var seen: [(Int, SIMD3<Float>)] = []
        for step in flash.steps.indices {
            guard let start = shownAt[step] else { continue }
            let stop = shownAt[step + 1] ?? end
            let from = start + lag + rules.settle, to = stop + lag
            let inside = samples.filter { $0.time >= from && $0.time < to }
            guard !inside.isEmpty else { continue }
            seen.append((step, inside.reduce(SIMD3<Float>.zero) { $0 + $1.value } / Float(inside.count)))
        }
        return seen
    }

    private func centred(_ values: [SIMD3<Float>]) -> [SIMD3<Float>] {
        let mean = values.reduce(SIMD3<Float>.zero, +) / Float(max(values.count, 1))
        return values.map { $0 - mean }
    }
}
