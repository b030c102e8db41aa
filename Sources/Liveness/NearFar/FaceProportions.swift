/// The size of a face in the image and one proportion that perspective changes with
/// distance: four widths in the middle of the face (inner and outer eye corners, the nose's
/// wings, the inner ends of the brows) over the width between the cheeks' outer edges
/// (mesh points 234-454).
///
/// A real face is deep: those features sit 5-8 cm in front of the cheeks' edges, so as the
/// phone comes closer they grow faster than the outline and the proportion rises (from 45
/// to 28 cm by 4-9 % on the clips' meshes). A photo is flat: moved or zoomed, every part
/// scales alike and the proportion stays put (a frame zoomed 1.6 times: within 0.2 %).
/// Four widths rather than one: each alone wanders by 1-3 % as people talk.
public struct FaceProportions: Sendable, Equatable {
    /// Cheek edge to cheek edge, pixels.
    public var width: Float
    /// The middle widths' sum over `width`.
    public var ratio: Float

    static let middleWidths = [(133, 362), (33, 263), (129, 358), (55, 285)]
    static let cheekEdges = (234, 454)

    public init(width: Float, ratio: Float) {
        self.width = width
        self.ratio = ratio
    }

    /// From the mesh's image positions (x, y of each of the 468 points).
    public init?(points: [SIMD2<Float>]) {
        guard points.count >= 468 else { return nil }
        let outline = Self.distance(points[Self.cheekEdges.0], points[Self.cheekEdges.1])
        let inner = Self.middleWidths.reduce(Float(0)) { $0 + Self.distance(points[$1.0], points[$1.1]) }
        guard outline > 1 else { return nil }
        self.init(width: outline, ratio: inner / outline)
    }

    private static func distance(_ a: SIMD2<Float>, _ b: SIMD2<Float>) -> Float {
        let d = a - b
        return (d * d).sum().squareRoot()
    }
}
