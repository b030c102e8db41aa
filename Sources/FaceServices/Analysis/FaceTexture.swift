import EngineBridge

/// The texture of a face as numbers (see `vf_face_texture`): colour LBP histograms of the
/// face at 64x64 and two measures of its spectrum. What a static liveness classifier reads.
public enum FaceTexture {
    public static let count = Int(vf_face_texture_count())

    /// Nil when the box holds less than 8x8 pixels of the image.
    public static func measure(_ image: DecodedImage, box: Box) -> [Float]? {
        var raw = FaceEngine.raw(Face(box: box, score: 1, keyPoints: [], detector: .yunet))
        var out = [Float](repeating: 0, count: count)
        guard vf_face_texture(image.handle, &raw, &out, Int32(count)) == VF_OK else { return nil }
        return out
    }
}
