/// A monotonic, piecewise-linear map from an engine's raw similarity to Veriface's 0-100
/// score, anchored so that the same score means the same false-accept rate for every
/// engine: 60 = FAR 1e-3, 70 = FAR 1e-4, 80 = FAR 1e-5 (the Tencent convention).
public struct ScoreMap: Sendable, Equatable, Codable {
    public struct Anchor: Sendable, Equatable, Codable {
        public var raw: Float
        public var score: Float
        public init(raw: Float, score: Float) { self.raw = raw; self.score = score }
    }

    /// Sorted by `raw`, strictly increasing in both fields.
    public let anchors: [Anchor]

    public init(anchors: [Anchor]) {
        precondition(anchors.count >= 2, "a score map needs two anchors")
        self.anchors = anchors.sorted { $0.raw < $1.raw }
    }

    public func score(_ raw: Float) -> Float {
        guard let first = anchors.first, let last = anchors.last else { return 0 }
        if raw <= first.raw { return first.score }
        if raw >= last.raw { return last.score }
        var upper = 1
        while anchors[upper].raw < raw { upper += 1 }
        let a = anchors[upper - 1], b = anchors[upper]
        let t = (raw - a.raw) / max(b.raw - a.raw, .ulpOfOne)
        return a.score + t * (b.score - a.score)
    }

    /// The scores that the anchors map a false-accept rate to, in order.
    public static let farScores: [(far: Double, score: Float)] = [(1e-2, 50), (1e-3, 60), (1e-4, 70), (1e-5, 80)]

    /// Calibrates a map from impostor (different-person) raw scores: each FAR level's
    /// threshold is the raw score that that share of impostors reach. `range` is the
    /// engine's raw scale (cosine: -1...1).
    public static func calibrated(impostors: [Float], range: ClosedRange<Float>) -> ScoreMap {
        let sorted = impostors.sorted(by: >)
        var anchors = [Anchor(raw: range.lowerBound, score: 0)]
        if !sorted.isEmpty {
            anchors.append(Anchor(raw: sorted[sorted.count / 2], score: 25))
        }
        var previous = anchors.last!.raw
        for (far, score) in farScores {
            let index = min(sorted.count - 1, max(0, Int((Double(sorted.count) * far).rounded(.down))))
            guard !sorted.isEmpty else { break }
            // Where impostors are too few to resolve a FAR, extrapolate a small step above.
            var raw = sorted[index]
            if Double(sorted.count) * far < 1 { raw = previous + (range.upperBound - previous) * 0.1 }
            raw = max(raw, previous + 1e-4)
            anchors.append(Anchor(raw: raw, score: score))
            previous = raw
        }
        anchors.append(Anchor(raw: max(range.upperBound, previous + 1e-4), score: 100))
        return ScoreMap(anchors: anchors)
    }

    /// The raw score at which this map reaches `score`.
    public func raw(atScore score: Float) -> Float {
        for i in 1..<anchors.count where anchors[i].score >= score {
            let a = anchors[i - 1], b = anchors[i]
            return a.raw + (score - a.score) / max(b.score - a.score, .ulpOfOne) * (b.raw - a.raw)
        }
        return anchors.last!.raw
    }
}
