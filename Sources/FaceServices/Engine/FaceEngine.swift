import EngineBridge

/// Which optional models an engine loads; YuNet and SFace are always loaded.
public struct EngineOptions: Sendable, Equatable {
    public var modelsDirectory: String
    public var dlib = true
    public var landmarks68 = false
    public var mesh = true
    public var attributes = true

    public init(modelsDirectory: String = ModelLocation.resolve(), dlib: Bool = true,
                landmarks68: Bool = false, mesh: Bool = true, attributes: Bool = true) {
        self.modelsDirectory = modelsDirectory
        self.dlib = dlib
        self.landmarks68 = landmarks68
        self.mesh = mesh
        self.attributes = attributes
    }
}

/// One set of loaded face models. Not thread-safe: dlib's networks keep per-call state,
/// so each engine is used by one thread at a time (see `EnginePool`).
public final class FaceEngine {
    private let handle: OpaquePointer
    public let options: EngineOptions

    public init(options: EngineOptions) throws {
        var handle: OpaquePointer?
        try options.modelsDirectory.withCString { dir throws in
            var raw = vf_engine_options(
                models_dir: dir, load_dlib: options.dlib ? 1 : 0, load_landmarks68: options.landmarks68 ? 1 : 0,
                load_mesh: options.mesh ? 1 : 0, load_attributes: options.attributes ? 1 : 0)
            try bridged { vf_engine_create(&raw, &handle, $0) }
        }
        self.handle = handle!
        self.options = options
    }

    deinit { vf_engine_free(handle) }

    /// Faces, largest first. `maxFaces: 1` asks for the largest face alone, which YuNet
    /// finds coarse to fine at a fraction of the cost.
    /// `coarseToFine` (by default when one face is wanted) finds faces at 320 px and refines
    /// only the largest: the cheap pass for a camera frame or a photo of one person.
    public func detect(_ image: DecodedImage, detector: DetectorKind = .yunet, minScore: Float = 0.88,
                       minFaceSize: Int = 20, maxFaces: Int = 32, coarseToFine: Bool? = nil) throws -> [Face] {
        let capacity = max(maxFaces, 0)
        let coarse = coarseToFine ?? (capacity == 1)
        var raw = [vf_detection](repeating: vf_detection(), count: max(capacity, 1))
        var count: Int32 = 0
        let kind = detector == .hog ? VF_DETECTOR_HOG : VF_DETECTOR_YUNET
        try raw.withUnsafeMutableBufferPointer { buffer throws in
            try bridged {
                vf_detect(handle, image.handle, kind, minScore, Int32(minFaceSize), coarse ? 1 : 0, buffer.baseAddress,
                          Int32(capacity), &count, $0)
            }
        }
        return raw.prefix(Int(count)).map { Self.face(from: $0, detector: detector) }
    }

    public func embed(_ image: DecodedImage, face: Face, with kind: EmbedderKind) throws -> Embedding {
        var box = Self.raw(face)
        var vector = [Float](repeating: 0, count: 128)
        try vector.withUnsafeMutableBufferPointer { out throws in
            try bridged {
                switch kind {
                case .sface: vf_embed_sface(handle, image.handle, &box, out.baseAddress, $0)
                case .dlib: vf_embed_dlib(handle, image.handle, &box, out.baseAddress, $0)
                }
            }
        }
        return Embedding(kind: kind, raw: vector)
    }

    /// The mesh of `face`, found from its detector box.
    public func mesh(_ image: DecodedImage, face: Face) throws -> FaceMesh {
        var box = Self.raw(face)
        return try mesh(image, box: &box, track: nil)
    }

    /// The mesh of the face tracked in `region` (the previous frame's `FaceMesh.region`):
    /// one run of the model and no detector. A low `presence` says the face was lost.
    public func mesh(_ image: DecodedImage, tracking region: MeshRegion) throws -> FaceMesh {
        var track = vf_mesh_region(cx: region.centre.x, cy: region.centre.y, extent: region.extent, angle: region.angle)
        return try mesh(image, box: nil, track: &track)
    }

    private func mesh(_ image: DecodedImage, box: UnsafeMutablePointer<vf_detection>?,
                      track: UnsafeMutablePointer<vf_mesh_region>?) throws -> FaceMesh {
        var values = [Float](repeating: 0, count: 478 * 3)
        var lids = [Float](repeating: 0, count: 2 * FaceMesh.eyelidCount * 2)
        var presence: Float = 0
        var next = vf_mesh_region()
        try values.withUnsafeMutableBufferPointer { out throws in
            try lids.withUnsafeMutableBufferPointer { lidsOut throws in
                try bridged {
                    vf_face_mesh(handle, image.handle, box, track, out.baseAddress, lidsOut.baseAddress, &presence, &next, $0)
                }
            }
        }
        let points = (0..<478).map { SIMD3(values[3 * $0], values[3 * $0 + 1], values[3 * $0 + 2]) }
        let eyelids = (0..<2 * FaceMesh.eyelidCount).map { SIMD2(lids[2 * $0], lids[2 * $0 + 1]) }
        let region = MeshRegion(centre: Point(x: next.cx, y: next.cy), extent: next.extent, angle: next.angle)
        return FaceMesh(points: points, eyelids: eyelids, presence: presence, region: region)
    }

    public func landmarks68(_ image: DecodedImage, face: Face) throws -> [Point] {
        var box = Self.raw(face)
        var values = [Float](repeating: 0, count: 136)
        try values.withUnsafeMutableBufferPointer { out throws in
            try bridged { vf_landmarks68(handle, image.handle, &box, out.baseAddress, $0) }
        }
        return (0..<68).map { Point(x: values[2 * $0], y: values[2 * $0 + 1]) }
    }

    /// Expected age in years and the probability that the face is male.
    public func ageAndGender(_ image: DecodedImage, face: Face) throws -> (age: Float, male: Float) {
        var box = Self.raw(face)
        var age: Float = 0, male: Float = 0
        try bridged { vf_age_gender(handle, image.handle, &box, &age, &male, $0) }
        return (age, male)
    }

    static func face(from raw: vf_detection, detector: DetectorKind) -> Face {
        let points = withUnsafeBytes(of: raw.landmarks) { Array($0.bindMemory(to: Float.self)) }
        return Face(
            box: Box(x: raw.x, y: raw.y, width: raw.width, height: raw.height), score: raw.score,
            keyPoints: (0..<5).map { Point(x: points[2 * $0], y: points[2 * $0 + 1]) }, detector: detector)
    }

    static func raw(_ face: Face) -> vf_detection {
        var raw = vf_detection()
        raw.x = face.box.x; raw.y = face.box.y; raw.width = face.box.width; raw.height = face.box.height
        raw.score = face.score
        withUnsafeMutableBytes(of: &raw.landmarks) { bytes in
            let floats = bytes.bindMemory(to: Float.self)
            for (i, point) in face.keyPoints.prefix(5).enumerated() {
                floats[2 * i] = point.x
                floats[2 * i + 1] = point.y
            }
        }
        return raw
    }
}

/// Engine-free measurements, safe from any thread.
public enum FaceMeasurements {
    static func signals(_ image: DecodedImage, face: Face) -> vf_face_signals {
        var box = FaceEngine.raw(face)
        var out = vf_face_signals()
        _ = vf_face_signals_measure(image.handle, &box, &out)
        return out
    }

    public static func setOpenCVThreads(_ count: Int) { vf_set_opencv_threads(Int32(count)) }
}
