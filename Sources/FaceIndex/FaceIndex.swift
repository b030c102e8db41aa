import Foundation

/// The index of one group and model version: exact search while the group is small,
/// approximate (IVF) search once it holds more than `approximateThreshold` faces,
/// switched automatically as faces are added and removed.
///
/// Exact below the threshold because it is both exact and fast there (about 2 ms for
/// 50 000 faces on one core); approximate above because an exact scan grows linearly
/// (about 40 ms at 3 million, measured). It goes back to exact only when the count falls below
/// half the threshold, so a group near the threshold does not flip on every write.
/// Either way the faces are stored once, in the same quantised layout (`ExactIndex`,
/// `VectorCodec`), and converting moves them chunk by chunk without doubling memory.
///
/// Thread safety: concurrent searches, one writer (see `ReadWriteLock`). The write that
/// crosses the threshold builds the approximate lists while holding the lock (under a
/// second at 50 000 faces); so does an add that makes the approximate index retrain
/// after 4× growth. Load a big group with `bulkLoad` at start to build it once.
public final class FaceIndex: Sendable {
    public struct Configuration: Sendable {
        /// More faces than this: approximate search.
        public var approximateThreshold: Int
        public var approximate: ApproximateIndex.Parameters

        public init(approximateThreshold: Int = 50_000, approximate: ApproximateIndex.Parameters = .init()) {
            self.approximateThreshold = approximateThreshold
            self.approximate = approximate
        }
    }

    public enum Kind: String, Sendable {
        case exact, approximate
    }

    private enum Mode {
        case exact(FaceLists)
        case approximate(InvertedLists)
    }

    public let configuration: Configuration
    private let state: Guarded<Mode>

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        state = Guarded(.exact(FaceLists(listCount: 1)))
    }

    public var kind: Kind {
        state.read { if case .exact = $0 { .exact } else { .approximate } }
    }

    public var count: Int {
        state.read { mode in
            switch mode {
            case .exact(let lists): lists.count
            case .approximate(let index): index.count
            }
        }
    }

    /// Bytes held for faces, ids, lookup tables and centroids.
    public var memoryBytes: Int {
        state.read { mode in
            switch mode {
            case .exact(let lists): lists.memoryBytes
            case .approximate(let index): index.memoryBytes
            }
        }
    }

    /// Adds a face, or replaces the face with the same id.
    public func add(_ face: IndexedFace) throws {
        let unit = try FaceVector.normalised(face.vector)
        state.write { mode in
            switch mode {
            case .exact(let lists):
                lists.add(unit: unit, faceID: face.faceID, personID: face.personID, list: 0)
                if lists.count > configuration.approximateThreshold {
                    mode = .approximate(InvertedLists.build(from: lists, parameters: configuration.approximate, progress: nil))
                }
            case .approximate(let index):
                index.add(unit: unit, faceID: face.faceID, personID: face.personID)
            }
        }
    }

    @discardableResult
    public func remove(faceID: UUID) -> Bool {
        state.write { mode in
            switch mode {
            case .exact(let lists):
                return lists.remove(faceID)
            case .approximate(let index):
                let removed = index.remove(faceID)
                if index.count < configuration.approximateThreshold / 2 { mode = .exact(Self.flatten(index.faces)) }
                return removed
            }
        }
    }

    public func contains(faceID: UUID) -> Bool {
        state.read { mode in
            switch mode {
            case .exact(let lists): lists.contains(faceID)
            case .approximate(let index): index.faces.contains(faceID)
            }
        }
    }

    /// Loads many faces (typically the group, read from the database at start) and
    /// builds the right kind of index once. Faces already present are kept. Searches
    /// wait until it returns. On a bad vector it throws, keeping the faces before it.
    public func bulkLoad<Faces: Sequence>(_ faces: Faces, progress: ((BuildProgress) -> Void)? = nil) throws
    where Faces.Element == IndexedFace {
        try state.write { mode in
            let staging: FaceLists
            switch mode {
            case .exact(let lists): staging = lists
            case .approximate(let index): staging = Self.flatten(index.faces)
            }
            mode = .exact(staging)
            try staging.load(faces, list: 0, progress: progress)
            if staging.count > configuration.approximateThreshold {
                mode = .approximate(InvertedLists.build(from: staging, parameters: configuration.approximate, progress: progress))
            }
        }
    }

    /// Retrains the approximate lists on the faces held now (nothing to do when exact).
    public func rebuild(progress: ((BuildProgress) -> Void)? = nil) {
        state.write { mode in
            if case .approximate(let index) = mode { index.retrain(progress: progress) }
        }
    }

    /// The `k` most similar faces, best first (fewer when the index holds fewer).
    public func search(_ query: [Float], k: Int) throws -> [IndexHit] {
        let encoded = EncodedQuery(unit: try FaceVector.normalised(query))
        guard k > 0 else { return [] }
        return state.read { mode in
            switch mode {
            case .exact(let lists):
                var heap = CandidateHeap(capacity: FaceLists.candidateCount(k: k))
                lists.scan(list: 0, query: encoded, into: &heap)
                return lists.rerank(heap, query: encoded, k: k)
            case .approximate(let index):
                return index.search(encoded, k: k)
            }
        }
    }

    /// All faces of `source` moved into a single list (emptying it).
    private static func flatten(_ source: FaceLists) -> FaceLists {
        let single = FaceLists(listCount: 1, expectedCount: source.count)
        single.reserve(perList: [source.count])
        source.drain { chunk in for offset in 0..<chunk.count { single.add(copyOf: chunk, at: offset, list: 0) } }
        return single
    }
}
