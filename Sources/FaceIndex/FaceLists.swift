import Foundation

/// The storage both indexes share, with no locking of its own: one or more lists of
/// quantised faces (one for exact search, one per k-means cell for the approximate index)
/// and the locator from face id to list and position. Callers hold the index's lock.
final class FaceLists {
    private(set) var lists: [EntryStore]
    private var locator: FaceLocator

    init(listCount: Int, expectedCount: Int = 0) {
        lists = (0..<listCount).map { _ in EntryStore() }
        locator = FaceLocator(minimumCapacity: expectedCount)
    }

    var count: Int { locator.count }

    var memoryBytes: Int {
        lists.reduce(0) { $0 + $1.memoryBytes } + locator.memoryBytes + lists.count * 48
    }

    private func faceID(at location: FaceLocator.Location) -> UUID {
        lists[location.list].faceID(at: location.position)
    }

    func contains(_ faceID: UUID) -> Bool {
        locator.location(of: faceID, idAt: self.faceID(at:)) != nil
    }

    /// Stores a unit vector in `list`, replacing any entry with the same face id.
    func add(unit vector: [Float], faceID: UUID, personID: UUID, list: Int) {
        remove(faceID)
        let position = vector.withUnsafeBufferPointer {
            lists[list].append(unit: $0.baseAddress!, faceID: faceID, personID: personID)
        }
        locator.insert(faceID, at: .init(list: list, position: position), idAt: self.faceID(at:))
    }

    /// Moves an already quantised entry in (used when lists are rebuilt); the id must be new.
    func add(copyOf chunk: EntryChunk, at offset: Int, list: Int) {
        let position = lists[list].append(copyOf: chunk, at: offset)
        locator.insert(chunk.faceIDs[offset], at: .init(list: list, position: position), idAt: self.faceID(at:))
    }

    @discardableResult
    func remove(_ faceID: UUID) -> Bool {
        guard let location = locator.location(of: faceID, idAt: self.faceID(at:)) else { return false }
        let store = lists[location.list]
        // Order matters: every step reads ids through the locations the table holds, so
        // the store changes last.
        locator.remove(faceID, idAt: self.faceID(at:))
        let last = store.count - 1
        if location.position != last {
            // The list's last entry will move into the hole.
            locator.update(store.faceID(at: last), to: location, idAtOld: self.faceID(at:))
        }
        store.removeMovingLast(at: location.position)
        return true
    }

    /// Reserves room for `additional` faces spread over the lists as `perList` says.
    func reserve(perList: [Int]) {
        for (list, extra) in perList.enumerated() where extra > 0 { lists[list].reserve(additional: extra) }
    }

    /// Hands every entry to `body` list by list, freeing storage as it goes; leaves this
    /// empty.
    func drain(_ body: (EntryChunk) -> Void) {
        locator = FaceLocator()
        for store in lists { store.drain(body) }
        lists = []
    }

    // MARK: search

    /// Scores every entry of `list` against the query with the int8 kernel and offers
    /// each to the heap.
    func scan(list: Int, query: borrowing EncodedQuery, into heap: inout CandidateHeap) {
        var position = 0
        for chunk in lists[list].chunks {
            DotKernels.scan(codes: chunk.codes, scales: chunk.scales, count: chunk.count, query: query.fixed,
                            firstReference: CandidateHeap.reference(list: list, position: position), into: &heap)
            position += chunk.count
        }
    }

    /// The float32 similarities of the kept candidates, best `k` first.
    func rerank(_ heap: borrowing CandidateHeap, query: borrowing EncodedQuery, k: Int) -> [IndexHit] {
        var hits: [IndexHit] = []
        hits.reserveCapacity(heap.count)
        for reference in heap.kept {
            let (chunk, offset) = lists[CandidateHeap.list(of: reference)].chunk(of: CandidateHeap.position(of: reference))
            let similarity = DotKernels.storedDot(code: chunk.code(at: offset), residual: chunk.residual(at: offset),
                                                  scale: chunk.scales[offset], query: query.float)
            hits.append(IndexHit(faceID: chunk.faceIDs[offset], personID: chunk.personIDs[offset], similarity: similarity))
        }
        hits.sort { $0.similarity != $1.similarity ? $0.similarity > $1.similarity : $0.faceID.uuidString < $1.faceID.uuidString }
        return Array(hits.prefix(k))
    }

    /// How many candidates to re-rank for a top-`k` search: the int8 scores are within
    /// about 0.002 of the truth, so a margin of several times k (and at least 64) keeps
    /// the true best ones in.
    static func candidateCount(k: Int) -> Int { max(64, 4 * k) }
}
