/// The frame an attempt compares with its reference: a single embedded face, the sharpest
/// and most frontal so far. `Payload` is whatever the caller keeps of the frame (the
/// streamed JPEG, or the decoded image of a recorded video).
struct ComparisonFrame<Payload> {
    private(set) var payload: Payload?
    private(set) var embedding: [Float]?
    private var rank: Float = -.infinity

    /// Keeps the frame when it ranks above the one kept; says whether it did.
    @discardableResult
    mutating func consider(_ signals: FrameSignals, _ payload: @autoclosure () -> Payload) -> Bool {
        guard signals.faceCount == 1, let embedding = signals.embedding else { return false }
        let rank = (signals.quality ?? 0) - abs(signals.yaw ?? 0) / 90 - abs(signals.pitch ?? 0) / 90
        guard rank > self.rank else { return false }
        self.rank = rank
        self.embedding = embedding
        self.payload = payload()
        return true
    }
}
