import Foundation

/// The face services of SPEC section 2 (detect, analyze, compare) over a pool of engines.
/// Used by the HTTP API and the CLI alike.
public struct FaceService: Sendable {
    public let pool: EnginePool
    public let limits: ImageLimits
    public let comparator: FaceComparator

    public init(pool: EnginePool, limits: ImageLimits = .standard, comparator: FaceComparator = FaceComparator()) {
        self.pool = pool
        self.limits = limits
        self.comparator = comparator
    }

    /// Checks size limits and decodes; every failure is code 2004.
    public func decode(_ bytes: Data) throws -> DecodedImage {
        guard !bytes.isEmpty else { throw ServiceError(.invalidImage, "image is empty") }
        guard bytes.count <= limits.maxBytes else {
            throw ServiceError(.invalidImage, "image is \(bytes.count) bytes; the limit is \(limits.maxBytes)")
        }
        let image: DecodedImage
        do { image = try DecodedImage(bytes: bytes, maxPixels: limits.maxPixels) } catch let error as EngineError { throw ServiceError.from(error) }
        guard image.width >= limits.minSide, image.height >= limits.minSide else {
            throw ServiceError(.invalidImage, "image is \(image.width)x\(image.height); at least \(limits.minSide) px each side")
        }
        return image
    }

    public func detect(_ image: DecodedImage, options: DetectOptions) async throws -> [DetectedFace] {
        try await onEngine { engine in try Self.detect(engine, image, options) }
    }

    public func analyze(_ image: DecodedImage, options: DetectOptions, want68: Bool) async throws -> [FaceAnalysis] {
        try await onEngine { engine in
            let faces = try Self.detect(engine, image, options)
            return try faces.map { try engine.analyze(image, face: $0.face, want68: want68) }
        }
    }

    /// Compares the largest face of each image.
    public func compare(_ a: DecodedImage, _ b: DecodedImage, mode: CompareMode = .fused,
                        qualityControl: QualityControl = .none) async throws -> CompareOutcome {
        try await onEngine { engine in
            let options = DetectOptions(maxFaces: 1, qualityControl: qualityControl)
            guard let faceA = try Self.detect(engine, a, options).first else {
                throw ServiceError(.noFace, "no face found in the first image")
            }
            guard let faceB = try Self.detect(engine, b, options).first else {
                throw ServiceError(.noFace, "no face found in the second image")
            }
            let comparison = try comparator.compare(mode: mode) { kind in
                (try engine.embed(a, face: faceA.face, with: kind), try engine.embed(b, face: faceB.face, with: kind))
            }
            return CompareOutcome(comparison: comparison, first: faceA, second: faceB)
        }
    }

    /// Detects up to `maxFaces` faces, largest first, and computes each one's embedding with
    /// each of `kinds` (the gallery's features: a person in groups of two model versions
    /// needs both). The largest face must pass `qualityControl`.
    public func embedFaces(_ image: DecodedImage, maxFaces: Int, kinds: Set<EmbedderKind> = [.sface],
                           qualityControl: QualityControl = .none) async throws -> [EmbeddedFace] {
        try await onEngine { engine in
            let faces = try Self.detect(engine, image, DetectOptions(maxFaces: maxFaces, qualityControl: qualityControl))
            return try faces.map { face in
                EmbeddedFace(face: face, embeddings: Dictionary(uniqueKeysWithValues: try kinds.map { kind in
                    (kind, try engine.embed(image, face: face.face, with: kind))
                }))
            }
        }
    }

    /// Runs on an engine thread and turns engine errors into service errors. Public for
    /// analyses built on several engine calls per image (the liveness frame analysis).
    public func onEngine<T: Sendable>(_ body: @escaping @Sendable (FaceEngine) throws -> T) async throws -> T {
        do {
            return try await pool.run(body)
        } catch let error as EngineError {
            throw ServiceError.from(error)
        }
    }

    static func detect(_ engine: FaceEngine, _ image: DecodedImage, _ options: DetectOptions) throws -> [DetectedFace] {
        let faces = try engine.detect(image, detector: options.detector, minScore: options.minScore,
                                      minFaceSize: options.minFaceSize, maxFaces: options.maxFaces)
        return try faces.enumerated().map { index, face in
            var detected = DetectedFace(face: face)
            if options.withQuality || options.qualityControl != .none {
                let quality = QualityAssessor.assess(image, face: face)
                detected.quality = quality
                // The face that a service acts on (the first, largest) must pass quality control.
                if index == 0, let rejection = options.qualityControl.rejection(of: quality) {
                    throw ServiceError.from(rejection)
                }
            }
            if options.withAttributes { detected.attributes = try engine.attributes(image, face: face) }
            return detected
        }
    }
}

/// What to detect and what to compute for each face.
public struct DetectOptions: Sendable, Equatable {
    public var detector: DetectorKind = .yunet
    public var maxFaces: Int = 10
    public var minFaceSize: Int = 20
    /// YuNet scores real faces 0.86-0.95 in the photo sets of ../shared/data while a dog's face
    /// reaches 0.86 and texture 0.67; OpenCV's own default is 0.9.
    public var minScore: Float = 0.88
    public var withQuality = false
    public var withAttributes = false
    public var qualityControl: QualityControl = .none

    public init(detector: DetectorKind = .yunet, maxFaces: Int = 10, minFaceSize: Int = 20, minScore: Float = 0.88,
                withQuality: Bool = false, withAttributes: Bool = false, qualityControl: QualityControl = .none) {
        self.detector = detector; self.maxFaces = maxFaces; self.minFaceSize = minFaceSize; self.minScore = minScore
        self.withQuality = withQuality; self.withAttributes = withAttributes; self.qualityControl = qualityControl
    }
}

public struct DetectedFace: Sendable {
    public var face: Face
    public var quality: FaceQuality?
    public var attributes: FaceAttributes?
}

public struct CompareOutcome: Sendable {
    public var comparison: Comparison
    public var first: DetectedFace
    public var second: DetectedFace
}

extension FaceService {
    /// Decodes on an engine thread, so that large images never stall a network event loop.
    public func decodeOffLoop(_ bytes: Data) async throws -> DecodedImage {
        try await pool.run { _ in try decode(bytes) }
    }
}
