/// Head orientation in degrees. Positive yaw: the subject turns to their left; positive
/// pitch: chin up; positive roll: the head tilts toward the subject's left shoulder.
public struct HeadPose: Sendable, Equatable, Codable {
    public var yaw: Float
    public var pitch: Float
    public var roll: Float
    public init(yaw: Float, pitch: Float, roll: Float) { self.yaw = yaw; self.pitch = pitch; self.roll = roll }
}

/// MediaPipe's dense landmarks of one face: 468 mesh points then 5 iris points per eye
/// (subject's right eye first), each (x, y) in image pixels and z as relative depth.
public struct FaceMesh: Sendable, Equatable {
    public static let meshCount = 468
    public static let eyelidCount = 16
    public var points: [SIMD3<Float>]
    /// The iris model's eyelid contours, which follow blinks that the mesh's own eye points
    /// miss: 16 points per eye (subject's right eye first), the lower lid from the outer
    /// corner to the inner one (0-8), then the upper lid from the outer side (9-15).
    /// Empty when not traced.
    public var eyelids: [SIMD2<Float>]
    /// The mesh model's own confidence that a face is in the crop, 0-1.
    public var presence: Float
    /// Where to look for this face in the next frame of a video (MediaPipe's tracking).
    public var region: MeshRegion?

    public init(points: [SIMD3<Float>], eyelids: [SIMD2<Float>] = [], presence: Float, region: MeshRegion? = nil) {
        self.points = points; self.eyelids = eyelids; self.presence = presence; self.region = region
    }

    public subscript(index: Int) -> SIMD3<Float> { points[index] }
}

/// Where the dense landmarks of a face came from.
public enum LandmarkModel: String, Sendable, Codable {
    case mediapipeMesh = "mediapipe-face-mesh"
    case dlib68 = "dlib-68"
}

/// The square crop the mesh model reads a face from: `extent` pixels wide around `centre`,
/// turned by `angle` radians so that the eyes are level.
public struct MeshRegion: Sendable, Equatable {
    public var centre: Point
    public var extent: Float
    public var angle: Float

    public init(centre: Point, extent: Float, angle: Float) {
        self.centre = centre; self.extent = extent; self.angle = angle
    }
}
