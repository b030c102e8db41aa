import Foundation

/// Fixed-capacity columns of quantised faces. Columns rather than rows so that a scan
/// reads only the 128-byte codes and the scales, never the residuals or ids.
final class EntryChunk {
    static let bytesPerEntry = 2 * VectorCodec.dimension + MemoryLayout<Float>.stride + 2 * MemoryLayout<UUID>.stride

    private(set) var capacity: Int
    fileprivate(set) var count = 0
    private(set) var codes: UnsafeMutablePointer<Int8>
    private(set) var residuals: UnsafeMutablePointer<Int8>
    private(set) var scales: UnsafeMutablePointer<Float>
    private(set) var faceIDs: UnsafeMutablePointer<UUID>
    private(set) var personIDs: UnsafeMutablePointer<UUID>

    init(capacity: Int) {
        self.capacity = capacity
        codes = .allocate(capacity: capacity * VectorCodec.dimension)
        residuals = .allocate(capacity: capacity * VectorCodec.dimension)
        scales = .allocate(capacity: capacity)
        faceIDs = .allocate(capacity: capacity)
        personIDs = .allocate(capacity: capacity)
    }

    deinit { release() }

    private func release() {
        codes.deallocate(); residuals.deallocate(); scales.deallocate()
        faceIDs.deallocate(); personIDs.deallocate()
    }

    /// Reallocates every column to `newCapacity` (>= count), copying the entries.
    fileprivate func resize(to newCapacity: Int) {
        let bigger = EntryChunk(capacity: newCapacity)
        bigger.copy(from: self, range: 0..<count, to: 0)
        bigger.count = count
        swap(&codes, &bigger.codes); swap(&residuals, &bigger.residuals); swap(&scales, &bigger.scales)
        swap(&faceIDs, &bigger.faceIDs); swap(&personIDs, &bigger.personIDs)
        swap(&capacity, &bigger.capacity)
        // `bigger` now owns the old columns and frees them.
    }

    fileprivate func copy(from source: EntryChunk, range: Range<Int>, to destination: Int) {
        let d = VectorCodec.dimension
        (codes + destination * d).update(from: source.codes + range.lowerBound * d, count: range.count * d)
        (residuals + destination * d).update(from: source.residuals + range.lowerBound * d, count: range.count * d)
        (scales + destination).update(from: source.scales + range.lowerBound, count: range.count)
        (faceIDs + destination).update(from: source.faceIDs + range.lowerBound, count: range.count)
        (personIDs + destination).update(from: source.personIDs + range.lowerBound, count: range.count)
    }

    func code(at offset: Int) -> UnsafeMutablePointer<Int8> { codes + offset * VectorCodec.dimension }
    func residual(at offset: Int) -> UnsafeMutablePointer<Int8> { residuals + offset * VectorCodec.dimension }

    func decode(at offset: Int, into vector: UnsafeMutablePointer<Float>) {
        VectorCodec.decode(code: code(at: offset), residual: residual(at: offset), scale: scales[offset], into: vector)
    }
}

/// A growable list of quantised faces addressed by position `0..<count`.
///
/// Entries live in chunks of at most 65 536 (every chunk but the last is full), so a big
/// store never reallocates (and never briefly doubles) its whole contents, and a bulk
/// move can free the source chunk by chunk. Small stores (the lists of the approximate
/// index) grow their single chunk by a quarter at a time, which keeps slack low.
/// Removal moves the last entry into the hole, so positions stay dense and no scan ever
/// meets a deleted entry.
final class EntryStore {
    static let chunkShift = 16
    static let chunkCapacity = 1 << chunkShift

    private(set) var chunks: [EntryChunk] = []
    private(set) var count = 0

    init() {}

    var capacity: Int { chunks.reduce(0) { $0 + $1.capacity } }
    var memoryBytes: Int { capacity * EntryChunk.bytesPerEntry + chunks.count * 64 }

    /// Makes room for `additional` more entries with no further reallocation.
    func reserve(additional: Int) {
        var missing = count + additional - capacity
        guard missing > 0 else { return }
        if let last = chunks.last, last.capacity < Self.chunkCapacity {
            let extra = min(missing, Self.chunkCapacity - last.capacity)
            last.resize(to: last.capacity + extra)
            missing -= extra
        }
        while missing > 0 {
            let size = min(missing, Self.chunkCapacity)
            chunks.append(EntryChunk(capacity: size))
            missing -= size
        }
    }

    /// The chunk that receives the next entry, grown or added as needed.
    private func chunkWithRoom() -> EntryChunk {
        let index = count >> Self.chunkShift
        if index < chunks.count, chunks[index].count < chunks[index].capacity { return chunks[index] }
        if index < chunks.count {
            let chunk = chunks[index] // the last one, full but below the chunk capacity
            chunk.resize(to: min(Self.chunkCapacity, max(16, chunk.capacity + chunk.capacity / 4)))
            return chunk
        }
        chunks.append(EntryChunk(capacity: 16))
        return chunks[index]
    }

    @discardableResult
    func append(unit vector: UnsafePointer<Float>, faceID: UUID, personID: UUID) -> Int {
        let chunk = chunkWithRoom()
        let offset = chunk.count
        chunk.scales[offset] = VectorCodec.encode(vector, code: chunk.code(at: offset), residual: chunk.residual(at: offset))
        (chunk.faceIDs + offset).initialize(to: faceID)
        (chunk.personIDs + offset).initialize(to: personID)
        chunk.count += 1
        count += 1
        return count - 1
    }

    /// Appends an entry of another store as it is (no re-quantisation).
    @discardableResult
    func append(copyOf source: EntryChunk, at offset: Int) -> Int {
        let chunk = chunkWithRoom()
        chunk.copy(from: source, range: offset..<(offset + 1), to: chunk.count)
        chunk.count += 1
        count += 1
        return count - 1
    }

    func chunk(of position: Int) -> (EntryChunk, Int) {
        (chunks[position >> Self.chunkShift], position & (Self.chunkCapacity - 1))
    }

    func faceID(at position: Int) -> UUID {
        let (chunk, offset) = chunk(of: position)
        return chunk.faceIDs[offset]
    }

    /// Removes the entry at `position` by moving the last entry into it; returns the face
    /// id of the entry that moved (nil when the last entry itself was removed).
    @discardableResult
    func removeMovingLast(at position: Int) -> UUID? {
        let last = count - 1
        let (lastChunk, lastOffset) = chunk(of: last)
        var moved: UUID?
        if position != last {
            let (chunk, offset) = chunk(of: position)
            chunk.copy(from: lastChunk, range: lastOffset..<(lastOffset + 1), to: offset)
            moved = chunk.faceIDs[offset]
        }
        lastChunk.count -= 1
        count -= 1
        // Free an emptied tail chunk, but not room that `reserve` set aside beyond it.
        if lastChunk.count == 0, lastChunk === chunks.last { chunks.removeLast() }
        return moved
    }

    /// Hands every chunk to `body` in position order, freeing each one after it, and
    /// leaves the store empty. Used to move all entries elsewhere without doubling memory.
    func drain(_ body: (EntryChunk) -> Void) {
        chunks.reverse()
        count = 0
        while let chunk = chunks.popLast() { body(chunk) }
    }
}
