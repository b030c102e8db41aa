/// Whether the face came nearer (or went farther) as asked, and changed its proportions as
/// only a three-dimensional face does (`FaceProportions`).
///
/// The frames where the face is smallest make the far end, those where it is largest the
/// near end (within `endBand` of the extreme widths). The near end must come after the far
/// end in a far-to-near move and before it in a near-to-far one, the width must change by
/// `minSizeChange`, and the proportion must be at least `minRise` higher at the near end.
/// Projecting the meshes of the clips (driving_d3, d18, source_s18, obama) from 45 to 28 cm
/// raises it by 4-9 %; their frames' own proportion wanders by 0.5-2 % as they talk and
/// turn; a photo or a digital zoom, being flat, keeps it within that.
public struct NearFarCheck: Sendable {
    public struct Rules: Sendable {
        public var minSizeChange: Float = 1.35
        public var minRise: Float = 0.03
        public var endBand: Float = 1.08
        /// Frames turned further than this from the user's median pose are left out
        /// (turning changes the proportion too).
        public var maxYaw: Float = 10
        public var maxPitch: Float = 12

        public init() {}
    }

    public struct Verdict: Sendable, Equatable {
        public var passed: Bool
        /// 1005: no move as asked; 1301: a move without the perspective of a real face.
        public var code: Int
        public var sizeChange: Float
        public var rise: Float
        public var reason: String
    }

    public let request: NearFar
    public let rules: Rules
    private(set) var all: [(time: Double, width: Float, ratio: Float, yaw: Float, pitch: Float)] = []

    public init(request: NearFar, rules: Rules = Rules()) {
        self.request = request
        self.rules = rules
    }

    /// A frame of the session: only a single face wholly inside the picture counts (a face
    /// cut by the picture's edge loses its outline, and with it the proportion).
    public mutating func add(_ signals: FrameSignals, at time: Double) {
        guard signals.faceCount == 1, let proportions = signals.proportions, let box = signals.box else { return }
        let marginX = 0.02 * Float(signals.imageWidth), marginY = 0.02 * Float(signals.imageHeight)
        guard box.x >= marginX, box.y >= marginY, box.x + box.width <= Float(signals.imageWidth) - marginX,
              box.y + box.height <= Float(signals.imageHeight) - marginY else { return }
        add(proportions, yaw: signals.yaw, pitch: signals.pitch, at: time)
    }

    public mutating func add(_ proportions: FaceProportions, yaw: Float?, pitch: Float?, at time: Double) {
        all.append((time, proportions.width, proportions.ratio, yaw ?? 0, pitch ?? 0))
    }

    public func verdict() -> Verdict {
        let yaw = median(all.map(\.yaw)), pitch = median(all.map(\.pitch))
        let samples = all.filter { abs($0.yaw - yaw) <= rules.maxYaw && abs($0.pitch - pitch) <= rules.maxPitch }
        guard samples.count >= 6 else {
            return Verdict(passed: false, code: ChallengeCode.livenessFailed, sizeChange: 0, rise: 0,
                           reason: "too few frames facing the camera to follow the move")
        }
        let widths = samples.map(\.width).sorted()
        let far = widths[widths.count / 10], near = widths[widths.count - 1 - widths.count / 10]
        let farEnd = samples.filter { $0.width <= far * rules.endBand }
        let nearEnd = samples.filter { $0.width >= near / rules.endBand }
        let sizeChange = near / max(far, 1)
        let rise = median(nearEnd.map(\.ratio)) / max(median(farEnd.map(\.ratio)), 0.001) - 1
        let nearLater = mean(nearEnd.map(\.time)) > mean(farEnd.map(\.time))
        let asked = request.direction == .farToNear ? "nearer" : "farther"
        let measured = String(format: "width x%.2f, proportion %+.1f %%", sizeChange, rise * 100)
        guard sizeChange >= rules.minSizeChange, nearLater == (request.direction == .farToNear) else {
            return Verdict(passed: false, code: ChallengeCode.livenessFailed, sizeChange: sizeChange, rise: rise,
                           reason: "the face did not come \(asked) as asked (\(measured))")
        }
        guard rise >= rules.minRise else {
            return Verdict(passed: false, code: ChallengeCode.suspectedRecording, sizeChange: sizeChange, rise: rise,
                           reason: "the face scaled without a real face's perspective, as a photo or a zoom does (\(measured))")
        }
        return Verdict(passed: true, code: ChallengeCode.passed, sizeChange: sizeChange, rise: rise,
                       reason: "the face came \(asked) with a real face's perspective (\(measured))")
    }

    private func median(_ values: [Float]) -> Float {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    private func mean(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }
}
