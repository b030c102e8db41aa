import FaceServices
import Foundation

/// Turns one camera frame into `FrameSignals`: detection, then mesh (pose and openness),
/// quality and an SFace embedding of the largest face, all in one engine job so that a
/// frame costs one trip to the engine pool.
///
/// Within a session the face is tracked (`FaceTrack`): the detector runs on every
/// `detectEvery`-th frame, on frames with an embedding and when the face is lost; between,
/// the mesh alone is read in the region of the previous frame's mesh.
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
        try await analyze(image, embed: embed, track: nil).signals
    }

    /// One frame of a session: `track` is what the previous frame returned.
    public func analyze(_ image: DecodedImage, embed: Bool, track: FaceTrack?) async throws -> (signals: FrameSignals, track: FaceTrack?) {
        let options = options
        return try await faces.onEngine { engine in try Self.analyze(image, on: engine, options: options, embed: embed, track: track) }
    }

    /// The same analysis on an engine the caller owns (benchmarks, batch jobs).
    public static func analyze(_ image: DecodedImage, on engine: FaceEngine, options: FrameAnalysisOptions = FrameAnalysisOptions(),
                               embed: Bool = true) throws -> FrameSignals {
        try analyze(image, on: engine, options: options, embed: embed, track: nil).signals
    }

    public static func analyze(_ image: DecodedImage, on engine: FaceEngine, options: FrameAnalysisOptions,
                               embed: Bool, track: FaceTrack?) throws -> (signals: FrameSignals, track: FaceTrack?) {
        if let track, engine.options.mesh, !embed, track.framesSinceDetection + 1 < options.detectEvery,
           let tracked = try follow(track, in: image, on: engine, options: options) {
            return tracked
        }
        return try detect(image, on: engine, options: options, embed: embed, track: track)
    }

    /// A frame without the detector: the mesh in the track's region. Nil when the face was
    /// lost there (the caller then detects).
    static func follow(_ track: FaceTrack, in image: DecodedImage, on engine: FaceEngine,
                       options: FrameAnalysisOptions) throws -> (signals: FrameSignals, track: FaceTrack?)? {
        let mesh = try engine.mesh(image, tracking: track.region)
        let bounds = mesh.bounds
        guard mesh.presence >= options.trackPresence, let region = mesh.region, let box = track.carried(to: bounds) else { return nil }
        let boxes = [box] + track.boxes.dropFirst()
        var signals = FrameSignals(faceCount: boxes.count, imageWidth: image.width, imageHeight: image.height,
                                   box: box, boxes: boxes, brightness: 0)
        measure(image, face: Face(box: box, score: 1, keyPoints: mesh.keyPoints, detector: .yunet), mesh: mesh, into: &signals)
        let next = FaceTrack(region: region, boxes: boxes, meshBounds: bounds, framesSinceDetection: track.framesSinceDetection + 1)
        return (signals, next)
    }

    /// A frame with the detector: every face counted, the largest measured (its mesh read in
    /// the track's region when the track still covers it) and embedded when asked.
    static func detect(_ image: DecodedImage, on engine: FaceEngine, options: FrameAnalysisOptions,
                       embed: Bool, track: FaceTrack?) throws -> (signals: FrameSignals, track: FaceTrack?) {
        let found = try engine.detect(image, minScore: options.minScore, minFaceSize: options.minFaceSize,
                                      maxFaces: options.maxFaces, coarseToFine: true)
        var signals = FrameSignals(faceCount: found.count, imageWidth: image.width, imageHeight: image.height,
                                   boxes: found.map(\.box), brightness: 0)
        guard let face = found.first else {
            signals.brightness = Self.imageBrightness(image)
            return (signals, nil)
        }
        signals.box = face.box
        var next: FaceTrack?
        if engine.options.mesh {
            var mesh: FaceMesh?
            if let track, face.box.contains(track.region.centre) {
                let tracked = try engine.mesh(image, tracking: track.region)
                if tracked.presence >= options.trackPresence { mesh = tracked }
            }
            let read = try mesh ?? engine.mesh(image, face: face)
            measure(image, face: face, mesh: read, into: &signals)
            next = read.region.map { FaceTrack(region: $0, boxes: signals.boxes, meshBounds: read.bounds, framesSinceDetection: 0) }
        } else {
            measure(image, face: face, mesh: nil, into: &signals)
        }
        if embed { signals.embedding = try engine.embed(image, face: face, with: .sface).vector }
        signals.staticLiveness = FaceTexture.measure(image, box: face.box).map { StaticLivenessModel.shipped.score($0) }
        return (signals, next)
    }

    /// Quality, pose and openness of the largest face.
    static func measure(_ image: DecodedImage, face: Face, mesh: FaceMesh?, into signals: inout FrameSignals) {
        let quality = QualityAssessor.assess(image, face: face)
        signals.brightness = quality.meanLuminance
        signals.sharpness = quality.sharpness
        signals.quality = quality.overall / 100
        signals.light = LightOnFace.measure(image, box: face.box)
        guard let mesh else { return }
        signals.meshPresence = mesh.presence
        signals.proportions = FaceProportions(points: mesh.points.map { SIMD2($0.x, $0.y) })
        if let pose = HeadPose(mesh: mesh) {
            signals.yaw = pose.yaw; signals.pitch = pose.pitch; signals.roll = pose.roll
        }
        let openness = Openness(mesh: mesh)
        signals.eyeOpenness = openness.eyes
        signals.mouthOpenness = openness.mouth
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
    /// Within a session the detector runs on every this many frames (and on frames with an
    /// embedding): at 12 frames per second, 3 keeps "several faces" within the 300 ms the
    /// hints are due in.
    public var detectEvery: Int = 3
    /// A tracked mesh below this presence has lost the face.
    public var trackPresence: Float = 0.5

    public init(minScore: Float = 0.88, minFaceSize: Int = 40, maxFaces: Int = 4, detectEvery: Int = 3) {
        self.minScore = minScore; self.minFaceSize = minFaceSize; self.maxFaces = maxFaces; self.detectEvery = detectEvery
    }
}
