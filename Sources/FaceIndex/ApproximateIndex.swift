import Foundation

/// Approximate top-K cosine search for large groups: an inverted-file index (IVF). Faces
/// are split into about 2√N lists by two-level spherical k-means; a query compares itself
/// with the list centroids, scans the `probes` nearest lists with the same int8 SIMD
/// kernel as `ExactIndex`, and re-ranks the best candidates in float32.
///
/// Why IVF rather than HNSW: it needs no memory beyond the exact layout (a graph with
/// M = 16 costs another 128+ bytes a face, which does not fit 1 GiB at 3 million next
/// to the re-ranking vectors), it builds in seconds rather than minutes on two cores,
/// and removal is exact (no tombstones): the last face of a list moves into the hole.
///
/// Lists drift as faces come and go. The index retrains itself when it has grown 4×
/// since the last training (amortised, like an array doubling, but that add waits for
/// the build); `rebuild` retrains on demand, e.g. after many removals or at a quiet hour.
///
/// Thread safety: as `ExactIndex` — concurrent searches, one writer.
public final class ApproximateIndex: Sendable {
    public struct Parameters: Sendable {
        /// Number of lists; nil picks about 2√N at each (re)build.
        public var listCount: Int?
        /// Lists scanned per query; nil picks `automaticProbes`.
        public var probes: Int?
        /// When the best face in the probed lists is less similar than this, the query
        /// is not a confident match, and its true best face may sit in any list (a
        /// stranger's nearest neighbours are spread over the whole space): it scans every
        /// list, i.e. it is answered exactly. Enrolled people (the common case) stay fast;
        /// strangers and poor photos cost an exact scan (about 40 ms at 3 million faces),
        /// which is where a wrong top-1 would change a decision near the match threshold.
        public var exactBelowSimilarity: Float = 0.6
        /// k-means iterations at each of the two levels.
        public var trainingIterations = 8
        /// Training sample size per list (the sample is at least 20 000 faces).
        public var samplesPerList = 32
        /// Threads for training and assignment. Searches are always single-threaded.
        public var threads = ProcessInfo.processInfo.activeProcessorCount
        /// Seed for sampling and k-means seeding, so builds are reproducible.
        public var seed: UInt64 = 0x5EED

        public init(listCount: Int? = nil, probes: Int? = nil) {
            self.listCount = listCount
            self.probes = probes
        }

        public static func automaticListCount(faces: Int) -> Int {
            max(1, Int((2 * Double(faces).squareRoot()).rounded()))
        }

        /// 1/32 of the lists (at least 16). Measured with `veriface bench search` at 3
        /// million faces (3 464 lists, 108 probes): recall@1 against exact search 1.000 for
        /// queries made from an indexed face (0.995 already at 27 probes), about 2 ms on a
        /// quiet core; unrelated queries fall back to an exact scan (`exactBelowSimilarity`).
        public static func automaticProbes(listCount: Int) -> Int {
            min(listCount, max(16, listCount / 32))
        }
    }

    private let state: Guarded<InvertedLists>

    public init(parameters: Parameters = Parameters()) {
        state = Guarded(InvertedLists(parameters: parameters))
    }

    /// Wraps lists built elsewhere (the automatic `FaceIndex` converting its exact index).
    init(lists: InvertedLists) {
        state = Guarded(lists)
    }

    public var count: Int { state.read { $0.count } }
    public var listCount: Int { state.read { $0.listCount } }
    /// Lists a query scans when it does not say.
    public var probes: Int { state.read { $0.probes } }
    /// Bytes this index holds for faces, ids, lookup tables and centroids.
    public var memoryBytes: Int { state.read { $0.memoryBytes } }

    /// Adds a face to its nearest list, or replaces the face with the same id.
    public func add(_ face: IndexedFace) throws {
        let unit = try FaceVector.normalised(face.vector)
        state.write { $0.add(unit: unit, faceID: face.faceID, personID: face.personID) }
    }

    /// Loads faces and trains the lists on all of them: much faster than adding one by
    /// one (each add compares with the centroids; a bulk load trains once, assigns on
    /// every thread and moves the quantised faces without doubling memory). Faces already
    /// present are kept and take part in the training.
    public func bulkLoad<Faces: Sequence>(_ faces: Faces, progress: ((BuildProgress) -> Void)? = nil) throws
    where Faces.Element == IndexedFace {
        try state.write { index in
            let staging = FaceLists(listCount: 1)
            index.faces.drain { chunk in for offset in 0..<chunk.count { staging.add(copyOf: chunk, at: offset, list: 0) } }
            try staging.load(faces, list: 0, progress: progress)
            index = InvertedLists.build(from: staging, parameters: index.parameters, progress: progress)
        }
    }

    /// Retrains the lists on the faces held now (searches wait meanwhile).
    public func rebuild(progress: ((BuildProgress) -> Void)? = nil) {
        state.write { $0.retrain(progress: progress) }
    }

    @discardableResult
    public func remove(faceID: UUID) -> Bool { state.write { $0.remove(faceID) } }

    public func contains(faceID: UUID) -> Bool { state.read { $0.faces.contains(faceID) } }

    /// The `k` most similar faces found in the `probes` nearest lists, best first.
    public func search(_ query: [Float], k: Int, probes: Int? = nil) throws -> [IndexHit] {
        let encoded = EncodedQuery(unit: try FaceVector.normalised(query))
        guard k > 0 else { return [] }
        return state.read { $0.search(encoded, k: k, probes: probes) }
    }
}
