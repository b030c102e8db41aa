import FaceIndex
import Fluent
import Foundation
import Platform

/// One indexed face of a group.
public struct IndexEntry: Sendable {
    public var faceRow: UUID
    public var personRow: UUID
    public var vector: [Float]
}

public struct IndexMatch: Sendable {
    public var groupRow: UUID
    public var faceRow: UUID
    public var personRow: UUID
    public var cosine: Float
}

/// The in-process search indexes, one per group (each group has one model version). Built
/// from the database at start and changed after every committed write, so after a restart
/// every node holds exactly what the database holds.
public final class GalleryIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var groups: [UUID: GroupIndex] = [:]

    public init() {}

    func index(_ group: UUID) -> GroupIndex {
        lock.withLock {
            if let index = groups[group] { return index }
            let index = GroupIndex()
            groups[group] = index
            return index
        }
    }

    public func add(group: UUID, _ entries: [IndexEntry]) { index(group).add(entries) }

    public func remove(group: UUID, faceRows: Set<UUID>) { index(group).remove(faceRows) }

    public func drop(group: UUID) { lock.withLock { _ = groups.removeValue(forKey: group) } }

    public func count(group: UUID) -> Int { index(group).count }

    /// The best `k` faces of each group, merged, best first.
    public func search(groups: [UUID], vector: [Float], k: Int) -> [IndexMatch] {
        groups.flatMap { group in
            index(group).search(vector, k: k).map { IndexMatch(groupRow: group, faceRow: $0.faceRow, personRow: $0.personRow, cosine: $0.cosine) }
        }.sorted { $0.cosine > $1.cosine }
    }

    /// Every face of every group from the database (features opened with the data key).
    public static func load(from db: any Database, key: DataKey, progress: (Int, Int) -> Void = { _, _ in }) async throws -> GalleryIndex {
        let index = GalleryIndex()
        let memberships = try await MembershipModel.query(on: db).all()
        let groupsOfPerson = Dictionary(grouping: memberships, by: \.personRow).mapValues { $0.map(\.groupRow) }
        let total = try await FaceRecordModel.query(on: db).count()
        var done = 0
        var batch: [UUID: [IndexEntry]] = [:]
        // Paged by id so a large gallery never sits in memory twice.
        var after: UUID?
        while true {
            let query = FaceRecordModel.query(on: db).sort(\.$id).limit(5000)
            if let after { query.filter(\.$id > after) }
            let rows = try await query.all()
            guard let last = rows.last else { break }
            for row in rows {
                let faceRow = try row.requireID()
                let entry = IndexEntry(faceRow: faceRow, personRow: row.personRow,
                                       vector: try Features.open(row.sealedFeature, faceRow: faceRow, key: key))
                for group in groupsOfPerson[row.personRow] ?? [] { batch[group, default: []].append(entry) }
            }
            for (group, entries) in batch { index.add(group: group, entries) }
            batch.removeAll(keepingCapacity: true)
            done += rows.count
            progress(done, total)
            after = try last.requireID()
        }
        return index
    }
}

/// One group's faces in a `FaceIndex`: exact (quantised, SIMD) while small, approximate
/// (IVF) once large, chosen by size.
final class GroupIndex: Sendable {
    private let faces = FaceIndex()

    var count: Int { faces.count }

    func add(_ new: [IndexEntry]) {
        for entry in new {
            // Vectors come from our own embedder (128-d, unit length); one that is not is a bug upstream.
            do { try faces.add(IndexedFace(faceID: entry.faceRow, personID: entry.personRow, vector: entry.vector)) } catch {
                assertionFailure("face \(entry.faceRow) not indexed: \(error)")
            }
        }
    }

    func remove(_ faceRows: Set<UUID>) { for row in faceRows { _ = faces.remove(faceID: row) } }

    func search(_ vector: [Float], k: Int) -> [(faceRow: UUID, personRow: UUID, cosine: Float)] {
        ((try? faces.search(vector, k: k)) ?? []).map { ($0.faceID, $0.personID, $0.similarity) }
    }
}
