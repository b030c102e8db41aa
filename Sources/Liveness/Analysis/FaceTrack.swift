import FaceServices

/// What the analysis of a session carries from one frame to the next, so that the detector
/// need not run on every frame: where the face's mesh was (MediaPipe's tracking: the next
/// frame's mesh is read in the region of this one) and what the last detection saw.
public struct FaceTrack: Sendable, Equatable {
    /// Where to read the mesh in the next frame.
    public var region: MeshRegion
    /// The detector's faces at the last detection, largest first, the largest carried along
    /// with the mesh since (the others are kept as they were: a detection comes every
    /// `FrameAnalysisOptions.detectEvery` frames).
    public var boxes: [Box]
    /// The bounds of the mesh in the frame the largest box belongs to.
    public var meshBounds: Box
    public var framesSinceDetection: Int

    /// The largest face's box moved and scaled as the mesh moved from `meshBounds` to
    /// `bounds`, so that tracked frames give boxes of the detector's framing (the hints'
    /// distance and centring thresholds are in it).
    func carried(to bounds: Box) -> Box? {
        guard let box = boxes.first, meshBounds.width > 0, meshBounds.height > 0 else { return nil }
        let sx = bounds.width / meshBounds.width, sy = bounds.height / meshBounds.height
        return Box(x: bounds.x + (box.x - meshBounds.x) * sx, y: bounds.y + (box.y - meshBounds.y) * sy,
                   width: box.width * sx, height: box.height * sy)
    }
}

extension FaceMesh {
    /// The bounds of the 468 mesh points.
    var bounds: Box {
        let mesh = points.prefix(Self.meshCount)
        let xs = mesh.map(\.x), ys = mesh.map(\.y)
        let left = xs.min() ?? 0, top = ys.min() ?? 0
        return Box(x: left, y: top, width: (xs.max() ?? 0) - left, height: (ys.max() ?? 0) - top)
    }

    /// Five key points in the detector's order (eye centres, nose tip, mouth corners; the
    /// subject's right side first), for the quality measure on frames without detection.
    var keyPoints: [Point] {
        guard points.count >= Self.meshCount + 10 else { return [] }
        return [468, 473, 1, 61, 291].map { Point(x: points[$0].x, y: points[$0].y) }
    }
}
