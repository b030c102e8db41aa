/// Eye and mouth openness from the mesh, as aspect ratios (height over width), which do
/// not change with the face's size in the image. The eyes are read from the iris model's
/// eyelid contours when the mesh has them: the mesh's own eye points hardly move in a blink.
public struct Openness: Sendable, Equatable, Codable {
    /// Eye aspect ratios of the subject's right and left eye: about 0.25-0.35 open, below 0.15 closed.
    public var rightEye: Float
    public var leftEye: Float
    /// Inner-lip aspect ratio: near 0 closed, above about 0.3 wide open.
    public var mouth: Float

    public var eyes: Float { (rightEye + leftEye) / 2 }

    // Mesh indices: corners first, then three upper/lower pairs.
    static let rightEyeIndices = (corners: (33, 133), pairs: [(160, 144), (159, 145), (158, 153)])
    static let leftEyeIndices = (corners: (362, 263), pairs: [(385, 380), (386, 374), (387, 373)])
    static let mouthIndices = (corners: (78, 308), pairs: [(82, 87), (13, 14), (312, 317)])
    /// The same corners and pairs on one eye's 16-point eyelid contour (see `FaceMesh.eyelids`).
    static let eyelidIndices = (corners: (0, 8), pairs: [(11, 3), (12, 4), (13, 5)])

    public init(mesh: FaceMesh) {
        let points = mesh.points.map { SIMD2($0.x, $0.y) }
        mouth = Self.ratio(points, Self.mouthIndices)
        let lids = FaceMesh.eyelidCount
        if mesh.eyelids.count == 2 * lids {
            rightEye = Self.ratio(Array(mesh.eyelids[..<lids]), Self.eyelidIndices)
            leftEye = Self.ratio(Array(mesh.eyelids[lids...]), Self.eyelidIndices)
        } else {
            rightEye = Self.ratio(points, Self.rightEyeIndices)
            leftEye = Self.ratio(points, Self.leftEyeIndices)
        }
    }

    static func ratio(_ points: [SIMD2<Float>], _ indices: (corners: (Int, Int), pairs: [(Int, Int)])) -> Float {
        func distance(_ a: Int, _ b: Int) -> Float {
            let d = points[a] - points[b]
            return (d.x * d.x + d.y * d.y).squareRoot()
        }
        let width = max(distance(indices.corners.0, indices.corners.1), 1e-3)
        let height = indices.pairs.map { distance($0.0, $0.1) }.reduce(0, +) / Float(indices.pairs.count)
        return height / width
    }

    public init(rightEye: Float, leftEye: Float, mouth: Float) {
        self.rightEye = rightEye; self.leftEye = leftEye; self.mouth = mouth
    }
}
