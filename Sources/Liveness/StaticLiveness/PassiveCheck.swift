import Foundation

/// Silent mode's passive signal: the static liveness score (`StaticLivenessModel`) of the
/// frames where the detector found the face, judged by their median once the attempt
/// would otherwise pass. The floor is lower than the photo API's threshold because a
/// session has no second chance to look: leaving one person out, 0.2 % of live faces score
/// under 20 while the median simulated print or screen replay scores under 1 (README
/// "Static liveness"). A real screen replay that shows no moiré is not caught here.
public struct PassiveCheck: Sendable {
    public static let floor: Float = 20
    /// Fewer scored frames than this give no verdict (the attempt is judged without it).
    public static let minimumFrames = 3

    public private(set) var scores: [Float] = []

    public init() {}

    public mutating func add(_ score: Float) { scores.append(score) }

    public var median: Float? {
        guard scores.count >= Self.minimumFrames else { return nil }
        let sorted = scores.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// Nil when too few frames were scored; otherwise whether the median clears the floor,
    /// and why, for the attempt's timeline.
    public func verdict() -> (passed: Bool, reason: String)? {
        guard let median else { return nil }
        let text = String(format: "static liveness median %.1f over %d frames (floor %.0f)", median, scores.count, Self.floor)
        return (median >= Self.floor, text)
    }
}
