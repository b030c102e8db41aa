import EngineBridge

/// The light on a face against the light of the room behind it: mean red, green and blue
/// (0-255) of the skin in the middle of the face box, and of everything outside the box
/// grown by half. A phone's screen lights the near face, hardly the room, so the colour
/// flash check reads the screen's colours in the difference of the two.
public struct LightOnFace: Sendable, Equatable {
    public var face: SIMD3<Float>
    public var background: SIMD3<Float>

    public init(face: SIMD3<Float>, background: SIMD3<Float>) {
        self.face = face
        self.background = background
    }

    /// Nil when the box holds no skin region inside the image.
    public static func measure(_ image: DecodedImage, box: Box) -> LightOnFace? {
        var raw = FaceEngine.raw(Face(box: box, score: 1, keyPoints: [], detector: .yunet))
        var out = [Float](repeating: 0, count: 6)
        guard vf_light_means(image.handle, &raw, &out) == VF_OK, out[0] + out[1] + out[2] > 0 else { return nil }
        // BGR from OpenCV.
        return LightOnFace(face: SIMD3(out[2], out[1], out[0]), background: SIMD3(out[5], out[4], out[3]))
    }
}
