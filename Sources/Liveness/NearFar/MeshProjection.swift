import FaceServices

/// A face mesh seen through a phone's front camera at a given distance: the mesh's own 3D
/// shape (MediaPipe's depth is on the scale of its x and y) sized to a real face and
/// projected through a pinhole. How near-far is measured without filming real moves
/// (`veriface eval pad`, the near-far tests); `flat` gives the same face as a photo.
public struct MeshProjection: Sendable {
    /// Cheek edge to cheek edge of an adult face, cm.
    public var faceWidth: Float = 14
    /// A front camera at 640x480 with a 60-degree field of view, pixels.
    public var focal: Float = 550

    public init() {}

    /// The proportions of `mesh` at `distance` cm (from the camera to the face's centre).
    public func proportions(_ mesh: FaceMesh, distance: Float, flat: Bool = false) -> FaceProportions? {
        guard let outline = FaceProportions(points: mesh.points.map { SIMD2($0.x, $0.y) })?.width else { return nil }
        let scale = faceWidth / outline
        let centre = mesh.points.reduce(SIMD3<Float>.zero, +) / Float(mesh.points.count)
        return FaceProportions(points: mesh.points.map { point in
            var q = (point - centre) * scale
            if flat { q.z = 0 }
            return SIMD2(focal * q.x / (distance + q.z), focal * q.y / (distance + q.z))
        })
    }

    /// Camera distance at `time` s of a near-far attempt: held at `from` for the request's
    /// hold, moved to `to` over its move time, then held.
    public static func distance(at time: Double, request: NearFar, from: Float, to: Float) -> Float {
        let progress = Float(min(max((time - request.holdFor) / request.moveFor, 0), 1))
        return from + (to - from) * progress
    }
}
