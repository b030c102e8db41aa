import FaceServices

extension FaceService {
    /// The 0-100 similarity (SFace's calibrated score, two decimals) of a frame's embedding
    /// to the reference a verification compares with.
    func similarity(reference: [Float], to embedding: [Float]) -> Double {
        let score = comparator.calibration.sface.score(zip(reference, embedding).reduce(0) { $0 + $1.0 * $1.1 })
        return (Double(score) * 100).rounded() / 100
    }
}
