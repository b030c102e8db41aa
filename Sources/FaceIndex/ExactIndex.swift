import Foundation

/// Exact top-K cosine search over every face: each query scans all int8 codes with SIMD
/// (about 1.4 ms per 100 000 faces on one core), keeps the best `max(64, 4K)` in a
/// heap and re-ranks those in float32 from the 16-bit stored vectors.
///
/// Memory, per face: 128 B int8 code + 128 B residual plane + 4 B scale + 32 B ids
/// (292 B), plus about 11 B of locator: 3 million faces fit in 0.85 GiB. See
/// `VectorCodec` for why the re-ranking vectors are a residual plane rather than a
/// float16 or float32 copy (neither fits the 1 GiB budget at 3 million).
///
/// Thread safety: any number of concurrent searches, or one writer (a read-write lock
/// that prefers writers). A search sees every write that returned before it started.
public final class ExactIndex: Sendable {
    private let state: Guarded<FaceLists>

    public init() {
        state = Guarded(FaceLists(listCount: 1))
    }

    public var count: Int { state.read { $0.count } }

    /// Bytes this index holds for faces, ids and lookup tables (allocated capacity).
    public var memoryBytes: Int { state.read { $0.memoryBytes } }

    /// Adds a face, or replaces the face with the same id.
    public func add(_ face: IndexedFace) throws {
        let unit = try FaceVector.normalised(face.vector)
        state.write { $0.add(unit: unit, faceID: face.faceID, personID: face.personID, list: 0) }
    }

    /// Adds many faces; the vectors are all checked before any is added.
    public func add(contentsOf faces: [IndexedFace]) throws {
        let units = try faces.map { try FaceVector.normalised($0.vector) }
        state.write { lists in
            lists.reserve(perList: [faces.count])
            for (face, unit) in zip(faces, units) {
                lists.add(unit: unit, faceID: face.faceID, personID: face.personID, list: 0)
            }
        }
    }

    /// Loads faces from a sequence (typically lazily read from the database), reserving
    /// room up front from `underestimatedCount`. Searches wait until it returns. On a
    /// bad vector it throws, keeping the faces before it.
    public func bulkLoad<Faces: Sequence>(_ faces: Faces, progress: ((BuildProgress) -> Void)? = nil) throws
    where Faces.Element == IndexedFace {
        try state.write { lists in try lists.load(faces, list: 0, progress: progress) }
    }

    @discardableResult
    public func remove(faceID: UUID) -> Bool { state.write { $0.remove(faceID) } }

    public func contains(faceID: UUID) -> Bool { state.read { $0.contains(faceID) } }

    /// The `k` most similar faces, best first (fewer when the index holds fewer).
    public func search(_ query: [Float], k: Int) throws -> [IndexHit] {
        let encoded = EncodedQuery(unit: try FaceVector.normalised(query))
        guard k > 0 else { return [] }
        return state.read { lists in
            var heap = CandidateHeap(capacity: FaceLists.candidateCount(k: k))
            lists.scan(list: 0, query: encoded, into: &heap)
            return lists.rerank(heap, query: encoded, k: k)
        }
    }
}

extension FaceLists {
    /// Quantises and stores a sequence of faces into one list, with progress every 64 Ki.
    func load<Faces: Sequence>(_ faces: Faces, list: Int, progress: ((BuildProgress) -> Void)?) throws
    where Faces.Element == IndexedFace {
        let expected = faces.underestimatedCount
        var perList = [Int](repeating: 0, count: lists.count)
        perList[list] = expected
        reserve(perList: perList)
        var done = 0
        for face in faces {
            let unit = try FaceVector.normalised(face.vector)
            add(unit: unit, faceID: face.faceID, personID: face.personID, list: list)
            done += 1
            if done & 0xFFFF == 0 { progress?(BuildProgress(stage: .loading, done: done, total: max(expected, done))) }
        }
        progress?(BuildProgress(stage: .loading, done: done, total: done))
    }
}
