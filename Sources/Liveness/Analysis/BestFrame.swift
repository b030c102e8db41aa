/// Keeps the frame most fit for comparison with a reference photo: sharp, well lit,
/// facing the camera, eyes open and mouth at rest.
struct BestFrame: Sendable {
    private(set) var frame: Int?
    private(set) var quality: Float = 0
    private var score: Float = -1

    mutating func consider(frame: Int, quality: Float, motion: Motion?) {
        var score = quality
        if let m = motion {
            let frontal = max(0, 1 - abs(m.yaw) / 30) * max(0, 1 - abs(m.pitch) / 30)
            let eyes = min(max(m.eyes, 0), 1)
            let mouth = max(0, 1 - max(m.mouth, 0) / 0.3)
            score *= frontal * eyes * (0.5 + 0.5 * mouth)
        }
        guard score > self.score else { return }
        self.score = score
        self.frame = frame
        self.quality = quality
    }
}
