/// How two faces were compared.
public enum CompareMode: String, Sendable, Codable, CaseIterable {
    /// SFace, with dlib consulted only near the decision (the default).
    case fused
    /// SFace and dlib always, fused.
    case both
    case sface
    case dlib
}

/// The outcome of a 1:1 comparison.
public struct Comparison: Sendable, Equatable {
    /// 0-100; 60 / 70 / 80 correspond to FAR 1e-3 / 1e-4 / 1e-5.
    public var score: Float
    /// Each engine's own calibrated score, where it ran.
    public var engineScores: [EmbedderKind: Float]
    /// The raw cosine similarity of each engine that ran.
    public var cosines: [EmbedderKind: Float]
    public var mode: CompareMode

    public var enginesUsed: [EmbedderKind] { EmbedderKind.allCases.filter { engineScores[$0] != nil } }
}

/// Scores pairs of faces with one engine or the fusion of both.
public struct FaceComparator: Sendable {
    public var calibration: CompareCalibration

    public init(calibration: CompareCalibration = .shipped) { self.calibration = calibration }

    /// Compares two faces; embeddings are computed lazily so the cascade skips dlib when
    /// SFace is already clear.
    public func compare(mode: CompareMode, embed: (EmbedderKind) throws -> (Embedding, Embedding)) rethrows -> Comparison {
        var cosines: [EmbedderKind: Float] = [:]
        var scores: [EmbedderKind: Float] = [:]
        func run(_ kind: EmbedderKind) throws {
            let (a, b) = try embed(kind)
            let cosine = a.cosine(b)
            cosines[kind] = cosine
            scores[kind] = calibration.map(for: kind).score(cosine)
        }
        switch mode {
        case .sface, .dlib:
            let kind: EmbedderKind = mode == .sface ? .sface : .dlib
            try run(kind)
            return Comparison(score: scores[kind]!, engineScores: scores, cosines: cosines, mode: mode)
        case .fused, .both:
            try run(.sface)
            if mode == .fused && !calibration.fusionBand.contains(scores[.sface]!) {
                return Comparison(score: scores[.sface]!, engineScores: scores, cosines: cosines, mode: mode)
            }
            try run(.dlib)
            return Comparison(score: fusedScore(sface: scores[.sface]!, dlib: scores[.dlib]!),
                              engineScores: scores, cosines: cosines, mode: mode)
        }
    }

    public func fusedScore(sface: Float, dlib: Float) -> Float {
        calibration.fused.score((sface + dlib) / 2)
    }

    /// The cascade's decision for already-computed cosines (used by evaluation).
    public func cascadeScore(sfaceCosine: Float, dlibCosine: Float) -> (score: Float, usedDlib: Bool) {
        let s = calibration.sface.score(sfaceCosine)
        guard calibration.fusionBand.contains(s) else { return (s, false) }
        return (fusedScore(sface: s, dlib: calibration.dlib.score(dlibCosine)), true)
    }
}
