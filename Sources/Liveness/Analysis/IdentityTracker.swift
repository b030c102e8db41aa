/// Keeps track of who is in front of the camera: the user's reference embedding (from
/// their baseline frames) plus a few later views of the same person, so that a turned or
/// differently lit face still matches while another person does not.
struct IdentityTracker: Sendable {
    enum Verdict: Sendable { case same, unsure, other }

    let sameFace: Float
    let otherFace: Float
    private(set) var anchors: [[Float]] = []
    private var otherRun: (count: Int, since: Double)?
    private static let maxAnchors = 8

    init(sameFace: Float, otherFace: Float) {
        self.sameFace = sameFace
        self.otherFace = otherFace
    }

    var hasReference: Bool { !anchors.isEmpty }

    mutating func setReference(_ embeddings: [[Float]]) {
        guard let mean = Self.mean(embeddings) else { return }
        anchors = [mean]
        otherRun = nil
    }

    func similarity(_ embedding: [Float]) -> Float {
        anchors.map { Self.dot($0, embedding) }.max() ?? 1
    }

    /// Judges one frame; `otherFor` says how long (frames, seconds) frames of another
    /// person have followed one another.
    mutating func judge(_ embedding: [Float], at time: Double) -> (verdict: Verdict, otherFor: (frames: Int, seconds: Double)) {
        let similarity = similarity(embedding)
        if similarity < otherFace {
            let run = otherRun.map { ($0.count + 1, $0.since) } ?? (1, time)
            otherRun = run
            return (.other, (run.0, time - run.1))
        }
        otherRun = nil
        guard similarity >= sameFace else { return (.unsure, (0, 0)) }
        // A surely-same view unlike the anchors so far widens the reference (new angle,
        // light); only views close to the original reference, so the anchors cannot drift
        // step by step towards someone else.
        if anchors.count < Self.maxAnchors && similarity < 0.75 && Self.dot(anchors[0], embedding) >= sameFace {
            anchors.append(embedding)
        }
        return (.same, (0, 0))
    }

    static func dot(_ a: [Float], _ b: [Float]) -> Float {
        guard a.count == b.count else { return 0 }
        var sum: Float = 0
        for i in a.indices { sum += a[i] * b[i] }
        return sum
    }

    static func mean(_ vectors: [[Float]]) -> [Float]? {
        guard let first = vectors.first else { return nil }
        var sum = [Float](repeating: 0, count: first.count)
        for v in vectors where v.count == sum.count { for i in v.indices { sum[i] += v[i] } }
        let norm = sum.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? sum.map { $0 / norm } : nil
    }
}
