/// Which detector found a face.
public enum DetectorKind: String, Sendable, Codable, CaseIterable {
    case yunet
    case hog
}

/// A detected face: where it is, how sure the detector is, and its five key points
/// (subject's right eye, left eye, nose tip, right and left mouth corners).
public struct Face: Sendable, Equatable {
    public var box: Box
    public var score: Float
    public var keyPoints: [Point]
    public var detector: DetectorKind

    public init(box: Box, score: Float, keyPoints: [Point], detector: DetectorKind) {
        self.box = box; self.score = score; self.keyPoints = keyPoints; self.detector = detector
    }
}
