import Foundation

extension HeadPose {
    /// The head's orientation read from the mesh's own 3D shape (MediaPipe's z is depth in
    /// the same scale as x), so no generic head model or camera matrix is assumed.
    ///
    /// The face's axes are the line between the outer eye corners (33 -> 263) and the line
    /// from chin to forehead (152 -> 10); their cross product is the face normal.
    public init?(mesh: FaceMesh) {
        guard mesh.points.count >= FaceMesh.meshCount else { return nil }
        // Camera axes: x right, y up, z toward the camera (mesh y grows downward, z away).
        func camera(_ i: Int) -> SIMD3<Float> { SIMD3(mesh[i].x, -mesh[i].y, -mesh[i].z) }
        func normalised(_ v: SIMD3<Float>) -> SIMD3<Float> {
            let length = (v * v).sum().squareRoot()
            return length > 0 ? v / length : v
        }
        func cross(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> SIMD3<Float> {
            SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
        }
        let across = normalised(camera(263) - camera(33)) // toward the subject's left
        var up = camera(10) - camera(152)
        up = normalised(up - (up * across).sum() * across)
        let normal = cross(across, up) // out of the face
        let degrees: Float = 180 / .pi
        yaw = atan2f(normal.x, normal.z) * degrees
        pitch = atan2f(normal.y, (normal.x * normal.x + normal.z * normal.z).squareRoot()) * degrees
        roll = atan2f(-across.y, across.x) * degrees
    }
}
