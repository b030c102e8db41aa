import FaceServices
import Foundation

/// Turns one camera frame into `FrameSignals`: detection, then mesh (pose and openness),
/// quality and an SFace embedding of the largest face, all in one engine job so that a
/// frame costs one trip to the engine pool.
///
/// Blinks need the engines' dlib 68-point model (`EngineOptions.landmarks68`): the mesh's
/// eye ratio hardly moves when eyes close (driving_d18's blinks: 0.26 -> 0.23), dlib's
/// halves (0.32 -> 0.155). Without it, `eyeOpenness` is the mesh's and blinks go unseen.
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
                                      maxFaces: options.maxFaces)
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
        if engine.options.landmarks68 {
            // dlib's 68 points follow eyelids that the mesh (without its refinement model)
            // barely moves: on the clips' winks and closures the mesh ratio dips 10%.
            let points = try engine.landmarks68(image, face: face)
            signals.eyeOpenness = Self.eyeAspectRatio(points)
        }
        if embed { signals.embedding = try engine.embed(image, face: face, with: .sface).vector }
        return signals
    }

    /// Soukupova and Cech's eye aspect ratio over dlib's 68 points (eyes 36-41 and 42-47),
    /// the smaller of the two eyes: about 0.3 open, under 0.15 closed.
    static func eyeAspectRatio(_ p: [Point]) -> Float? {
        guard p.count == 68 else { return nil }
        func d(_ a: Int, _ b: Int) -> Float { hypotf(p[a].x - p[b].x, p[a].y - p[b].y) }
        func ratio(_ o: Int) -> Float { (d(o + 1, o + 5) + d(o + 2, o + 4)) / max(2 * d(o, o + 3), 1e-3) }
        return (ratio(36) + ratio(42)) / 2
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
