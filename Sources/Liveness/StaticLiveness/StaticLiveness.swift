import FaceServices

/// Static liveness (SPEC section 2): whether one photo shows a live face rather than a
/// print or a screen, from the texture of its largest face alone. Passive and weaker than
/// the H5 session's challenges: README "Static liveness" says how it was measured and
/// where it fails.
public struct StaticLiveness: Sendable {
    public struct Result: Sendable {
        public var face: DetectedFace
        /// 0-100; at or above `threshold`: live.
        public var score: Float
        public var threshold: Float
        /// Each detector's own score (the live score is the lowest).
        public var detectors: [String: Float]
        public var isLive: Bool { score >= threshold }
    }

    public let faces: FaceService
    public let model: StaticLivenessModel

    public init(faces: FaceService, model: StaticLivenessModel = .shipped) {
        self.faces = faces
        self.model = model
    }

    /// Judges the largest face, which must pass `qualityControl`; no face is code 1004's
    /// `ServiceError.noFace`.
    public func judge(_ image: DecodedImage, qualityControl: QualityControl = .none) async throws -> Result {
        let options = DetectOptions(maxFaces: 1, withQuality: true, qualityControl: qualityControl)
        guard let face = try await faces.detect(image, options: options).first else {
            throw ServiceError(.noFace, "no face found in the image")
        }
        // Measured on an engine thread like all pixel work, never on a network event loop.
        guard let texture = try await faces.onEngine({ _ in FaceTexture.measure(image, box: face.face.box) }) else {
            throw ServiceError(.noFace, "the face is too small to judge")
        }
        return Result(face: face, score: model.score(texture), threshold: model.threshold,
                      detectors: Dictionary(uniqueKeysWithValues: model.detectors.map { ($0.name, $0.score(texture)) }))
    }
}
