/// How raw similarities of each engine, and of their fusion, become 0-100 scores, and when
/// the second engine is consulted.
///
/// The shipped values come from `veriface eval lfw --calibrate`, which calibrates on every
/// different-person pair of the LFW images in ../shared/data (about 7 million pairs, enough
/// to resolve FAR 1e-5). `eval lfw` itself recalibrates per fold on the other folds only.
public struct CompareCalibration: Sendable, Equatable, Codable {
    public var sface: ScoreMap
    public var dlib: ScoreMap
    /// Maps the mean of the two engines' scores.
    public var fused: ScoreMap
    /// SFace scores inside this band are close enough to a decision that dlib is asked too.
    public var fusionBand: ClosedRange<Float>

    public init(sface: ScoreMap, dlib: ScoreMap, fused: ScoreMap, fusionBand: ClosedRange<Float>) {
        self.sface = sface; self.dlib = dlib; self.fused = fused; self.fusionBand = fusionBand
    }

    public func map(for kind: EmbedderKind) -> ScoreMap {
        switch kind {
        case .sface: sface
        case .dlib: dlib
        }
    }

    /// Thresholds of the 0-100 score for each false-accept rate; the same for every engine.
    public static let thresholds: [String: Float] = ["1e-3": 60, "1e-4": 70, "1e-5": 80]
}
