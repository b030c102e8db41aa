import Foundation

/// Where each face id is stored: (list, position) — an open-addressing hash table of
/// 8-byte slots that does not store the ids themselves.
///
/// A slot packs a 16-bit fingerprint of the id's hash, the list (16 bits) and the
/// position (32 bits); the id is compared by reading it from the store, which the
/// fingerprint makes rare. At 3 million faces this is 32 MiB, against about 100 MiB
/// for a `[UUID: UInt64]` dictionary. Linear probing with backward-shift deletion, so
/// removals leave no tombstones; the table doubles at 3/4 full.
struct FaceLocator: ~Copyable {
    struct Location: Equatable {
        var list: Int
        var position: Int
    }

    private var slots: UnsafeMutablePointer<UInt64>
    private var mask: Int
    private(set) var count = 0

    init(minimumCapacity: Int = 0) {
        var size = 16
        while size * 3 / 4 < minimumCapacity { size *= 2 }
        slots = .allocate(capacity: size)
        slots.initialize(repeating: 0, count: size)
        mask = size - 1
    }

    deinit { slots.deallocate() }

    var memoryBytes: Int { (mask + 1) * 8 }

    static func hash(_ id: UUID) -> UInt64 {
        let (a, b) = withUnsafeBytes(of: id.uuid) { ($0.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                                                      $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) }
        var h = a ^ (b &* 0x9E37_79B9_7F4A_7C15)
        h ^= h >> 33; h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33; h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }

    private static func fingerprint(_ hash: UInt64) -> UInt64 { max(1, hash >> 48) }

    private static func pack(_ fingerprint: UInt64, _ location: Location) -> UInt64 {
        fingerprint << 48 | UInt64(location.list) << 32 | UInt64(location.position)
    }

    private static func unpack(_ slot: UInt64) -> Location {
        Location(list: Int((slot >> 32) & 0xFFFF), position: Int(slot & 0xFFFF_FFFF))
    }

    /// The slot index holding `id`, or nil.
    private func slotIndex(of id: UUID, idAt: (Location) -> UUID) -> Int? {
        let hash = Self.hash(id)
        let print = Self.fingerprint(hash)
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[index]
            if slot == 0 { return nil }
            if slot >> 48 == print, idAt(Self.unpack(slot)) == id { return index }
            index = (index + 1) & mask
        }
    }

    func location(of id: UUID, idAt: (Location) -> UUID) -> Location? {
        slotIndex(of: id, idAt: idAt).map { Self.unpack(slots[$0]) }
    }

    /// Records a new id (the caller has checked it is absent). `idAt` must already answer
    /// for the new location.
    mutating func insert(_ id: UUID, at location: Location, idAt: (Location) -> UUID) {
        if (count + 1) * 4 > (mask + 1) * 3 { grow(idAt: idAt) }
        let hash = Self.hash(id)
        var index = Int(truncatingIfNeeded: hash) & mask
        while slots[index] != 0 { index = (index + 1) & mask }
        slots[index] = Self.pack(Self.fingerprint(hash), location)
        count += 1
    }

    /// Points an id that moved to its new location.
    mutating func update(_ id: UUID, to location: Location, idAtOld: (Location) -> UUID) {
        guard let index = slotIndex(of: id, idAt: idAtOld) else { return }
        slots[index] = Self.pack(slots[index] >> 48, location)
    }

    /// Forgets `id`. Entries after it in its probe run shift back so lookups stay correct.
    mutating func remove(_ id: UUID, idAt: (Location) -> UUID) {
        guard var hole = slotIndex(of: id, idAt: idAt) else { return }
        var index = hole
        while true {
            index = (index + 1) & mask
            let slot = slots[index]
            if slot == 0 { break }
            let home = Int(truncatingIfNeeded: Self.hash(idAt(Self.unpack(slot)))) & mask
            // The entry may fill the hole unless its home lies cyclically in (hole, index].
            if (index - home) & mask >= (index - hole) & mask {
                slots[hole] = slot
                hole = index
            }
        }
        slots[hole] = 0
        count -= 1
    }

    private mutating func grow(idAt: (Location) -> UUID) {
        let oldSlots = slots, oldSize = mask + 1
        let size = oldSize * 2
        slots = .allocate(capacity: size)
        slots.initialize(repeating: 0, count: size)
        mask = size - 1
        for i in 0..<oldSize where oldSlots[i] != 0 {
            let slot = oldSlots[i]
            var index = Int(truncatingIfNeeded: Self.hash(idAt(Self.unpack(slot)))) & mask
            while slots[index] != 0 { index = (index + 1) & mask }
            slots[index] = slot
        }
        oldSlots.deallocate()
    }
}
