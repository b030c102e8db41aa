/// The best `capacity` scores seen so far: a binary min-heap, so the weakest kept score
/// is at the root and a scan rejects most entries with one comparison against it.
struct CandidateHeap: ~Copyable {
    let capacity: Int
    private let scores: UnsafeMutablePointer<Float>
    private let references: UnsafeMutablePointer<UInt64>
    private(set) var count = 0
    /// A score must beat this to enter: -infinity until the heap is full.
    private(set) var threshold = -Float.infinity

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        scores = .allocate(capacity: self.capacity)
        references = .allocate(capacity: self.capacity)
    }

    deinit {
        scores.deallocate()
        references.deallocate()
    }

    static func reference(list: Int, position: Int) -> UInt64 { UInt64(list) << 32 | UInt64(position) }
    static func list(of reference: UInt64) -> Int { Int(reference >> 32) }
    static func position(of reference: UInt64) -> Int { Int(reference & 0xFFFF_FFFF) }

    /// Keeps `score` if it beats the threshold.
    mutating func offer(_ score: Float, _ reference: UInt64) {
        guard score > threshold else { return }
        if count < capacity {
            var child = count
            count += 1
            while child > 0 {
                let parent = (child - 1) / 2
                if scores[parent] <= score { break }
                scores[child] = scores[parent]; references[child] = references[parent]
                child = parent
            }
            scores[child] = score; references[child] = reference
            if count == capacity { threshold = scores[0] }
            return
        }
        // Replace the root and sift down.
        var parent = 0
        while true {
            let left = 2 * parent + 1
            if left >= count { break }
            let right = left + 1
            let smaller = right < count && scores[right] < scores[left] ? right : left
            if scores[smaller] >= score { break }
            scores[parent] = scores[smaller]; references[parent] = references[smaller]
            parent = smaller
        }
        scores[parent] = score; references[parent] = reference
        threshold = scores[0]
    }

    /// The highest kept score (-infinity when empty).
    var best: Float { (0..<count).reduce(-Float.infinity) { max($0, scores[$1]) } }

    /// The kept references, best score first.
    var keptBestFirst: [UInt64] {
        (0..<count).sorted { scores[$0] > scores[$1] }.map { references[$0] }
    }

    /// The kept references, in no particular order.
    var kept: [UInt64] { (0..<count).map { references[$0] } }
}
