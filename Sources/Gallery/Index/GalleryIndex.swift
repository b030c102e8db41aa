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

/// The in-process search indexes, one per group and model version (a group searches with
/// its current version; a model upgrade builds the next version's index beside it before
/// switching). Built from the database at start and changed after every committed write,
/// so after a restart every node holds exactly what the database holds.
public final class GalleryIndex: @unchecked Sendable {
    struct Key: Hashable {
        var group: UUID
        var version: String
    }

    private let lock = NSLock()
    private var indexes: [Key: GroupIndex] = [:]

    public init() {}

    func index(_ group: UUID, _ version: String) -> GroupIndex {
        lock.withLock {
            let key = Key(group: group, version: version)
            if let index = indexes[key] { return index }
            let index = GroupIndex()
            indexes[key] = index
            return index
        }
    }

    public func add(group: UUID, version: String, _ entries: [IndexEntry]) { index(group, version).add(entries) }

    /// Takes the faces out of every version's index of the group.
    public func remove(group: UUID, faceRows: Set<UUID>) {
        let found = lock.withLock { indexes.filter { $0.key.group == group }.map(\.value) }
        for index in found { index.remove(faceRows) }
    }

    /// Forgets the group's indexes: every version, or all but `keeping`.
    public func drop(group: UUID, keeping: String? = nil) {
        lock.withLock { indexes = indexes.filter { $0.key.group != group || $0.key.version == keeping } }
    }

    /// Installs a freshly built index of the group's faces under `version`.
    public func replace(group: UUID, version: String, with entries: [IndexEntry]) {
        let fresh = GroupIndex()
        fresh.add(entries)
        lock.withLock { indexes[Key(group: group, version: version)] = fresh }
    }

    public func count(group: UUID, version: String) -> Int { index(group, version).count }

    /// The best `k` faces of each group (all searched under `version`), merged, best first.
    public func search(groups: [UUID], version: String, vector: [Float], k: Int) -> [IndexMatch] {
        groups.flatMap { group in
            index(group, version).search(vector, k: k).map { IndexMatch(groupRow: group, faceRow: $0.faceRow, personRow: $0.personRow, cosine: $0.cosine) }
        }.sorted { $0.cosine > $1.cosine }
    }

    /// Every face of every group from the database, under the group's model version
    /// (features opened with the data key).
    public static func load(from db: any Database, key: DataKey, progress: (Int, Int) -> Void = { _, _ in }) async throws -> GalleryIndex {
        let index = GalleryIndex()
        let versions = Dictionary(uniqueKeysWithValues: try await GroupModel.query(on: db).all().map { ($0.id!, $0.modelVersion) })
        let memberships = try await MembershipModel.query(on: db).all()
        let groupsOfPerson = Dictionary(grouping: memberships, by: \.personRow).mapValues { $0.map(\.groupRow) }
        let total = try await FaceRecordModel.query(on: db).count()
        var done = 0
        // Paged by id so a large gallery never sits in memory twice.
        var after: UUID?
        while true {
            let query = FaceRecordModel.query(on: db).sort(\.$id).limit(5000)
            if let after { query.filter(\.$id > after) }
            let rows = try await query.all()
            guard let last = rows.last else { break }
            var batch: [Key: [IndexEntry]] = [:]
            let needed = Set(rows.flatMap { row in (groupsOfPerson[row.personRow] ?? []).compactMap { versions[$0] } })
            for version in needed {
                let vectors = try await Features.vectors(of: rows, version: version, key: key, on: db)
                for row in rows {
                    for group in groupsOfPerson[row.personRow] ?? [] where versions[group] == version {
                        guard let vector = vectors[row.id!] else { throw GalleryFailure.featureMissing(row.id!.uuidString, version) }
                        batch[Key(group: group, version: version), default: []]
                            .append(IndexEntry(faceRow: row.id!, personRow: row.personRow, vector: vector))
                    }
                }
            }
            for (key, entries) in batch { index.add(group: key.group, version: key.version, entries) }
            done += rows.count
            progress(done, total)
            after = try last.requireID()
        }
        return index
    }
}

/// One group's faces under one model version in a `FaceIndex`: exact (quantised, SIMD)
/// while small, approximate (IVF) once large, chosen by size.
final class GroupIndex: Sendable {
    private let faces = FaceIndex()

    var count: Int { faces.count }

    func add(_ new: [IndexEntry]) {
        for entry in new {
            // Vectors come from our own embedders (128-d, unit length); one that is not is a bug upstream.
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
