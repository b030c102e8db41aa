import FaceServices
import Foundation

/// Turns one camera frame into `FrameSignals`: detection, then mesh (pose and openness),
/// quality and an SFace embedding of the largest face, all in one engine job so that a
/// frame costs one trip to the engine pool.
///
/// Eye openness comes from the iris model's eyelid contours (`Openness`), which follow
/// blinks (driving_d18's: 0.30 -> 0.10) that the mesh's own eye points hardly show.
public struct FrameAnalyzer: Sendable {
    public let faces: FaceService
    public var options: FrameAnalysisOptions

    public init(faces: FaceService, options: FrameAnalysisOptions = FrameAnalysisOptions()) {
        self.faces = faces
        self.options = options
    }

    /// Runs on the engine pool. `embed: false` skips the embedding (the costliest stage
    /// after the mesh) on frames where identity need not be checked.
    public func analyze(_ image: DecodedImage, embed: Bool = true) async throws -> FrameSignals {
        let options = options
        return try await faces.onEngine { engine in try Self.analyze(image, on: engine, options: options, embed: embed) }
    }

    /// The same analysis on an engine the caller owns (benchmarks, batch jobs).
    public static func analyze(_ image: DecodedImage, on engine: FaceEngine, options: FrameAnalysisOptions = FrameAnalysisOptions(),
                               embed: Bool = true) throws -> FrameSignals {
        let found = try engine.detect(image, minScore: options.minScore, minFaceSize: options.minFaceSize,
                                      maxFaces: options.maxFaces, coarseToFine: true)
        var signals = FrameSignals(faceCount: found.count, imageWidth: image.width, imageHeight: image.height,
                                   boxes: found.map(\.box), brightness: 0)
        guard let face = found.first else {
            signals.brightness = Self.imageBrightness(image)
            return signals
        }
        signals.box = face.box
        let quality = QualityAssessor.assess(image, face: face)
        signals.brightness = quality.meanLuminance
        signals.sharpness = quality.sharpness
        signals.quality = quality.overall / 100
        if engine.options.mesh {
            let mesh = try engine.mesh(image, face: face)
            signals.meshPresence = mesh.presence
            if let pose = HeadPose(mesh: mesh) {
                signals.yaw = pose.yaw; signals.pitch = pose.pitch; signals.roll = pose.roll
            }
            let openness = Openness(mesh: mesh)
            signals.eyeOpenness = openness.eyes
            signals.mouthOpenness = openness.mouth
        }
        if embed { signals.embedding = try engine.embed(image, face: face, with: .sface).vector }
        return signals
    }

    /// Mean luma of the whole image: the quality measure over a box that covers it all, so
    /// "too dark" can be told even when the darkness hides the face.
    static func imageBrightness(_ image: DecodedImage) -> Float {
        let whole = Face(box: Box(x: 0, y: 0, width: Float(image.width), height: Float(image.height)),
                         score: 1, keyPoints: [], detector: .yunet)
        return QualityAssessor.assess(image, face: whole).meanLuminance
    }
}

/// Detection settings of the frame analysis.
public struct FrameAnalysisOptions: Sendable, Equatable {
    /// The photo services' threshold: on every frame of the clips (d12's large turns and
    /// obama's 28-degree turn included) the face stays found at it.
    public var minScore: Float = 0.88
    public var minFaceSize: Int = 40
    /// Enough to tell "several faces"; the largest is the one analysed.
    public var maxFaces: Int = 4

    public init(minScore: Float = 0.88, minFaceSize: Int = 40, maxFaces: Int = 4) {
        self.minScore = minScore; self.minFaceSize = minFaceSize; self.maxFaces = maxFaces
    }
}
