import FaceServices
import Fluent
import Foundation
import Platform

/// Groups, persons and faces of one application, with 1:N search and 1:1 verification
/// against a person. Every write commits to the database first and then updates the
/// in-process index, so an acknowledged write survives a crash and a restart rebuilds the
/// same index.
public struct GalleryService: Sendable {
    public let faces: FaceService
    public let key: DataKey
    public let blobs: BlobStore
    public let index: GalleryIndex
    public let jobs: JobRunner
    public static let maxFacesPerPerson = 5
    public static let maxGroupsPerSearch = 100
    public static let maxFacesPerSearch = 10
    /// Score 80 = FAR 1e-5 per comparison: a 1:N search makes many comparisons at once.
    public static let defaultMatchThreshold: Float = 80
    /// The features of new groups.
    public static let embedder = EmbedderKind.sface

    public init(faces: FaceService, key: DataKey, blobs: BlobStore, index: GalleryIndex, jobs: JobRunner) {
        self.faces = faces
        self.key = key
        self.blobs = blobs
        self.index = index
        self.jobs = jobs
    }

    // MARK: Groups

    public func createGroup(_ caller: GalleryCaller, groupID: String, name: String, tag: String = "",
                            customFields: [String] = [], keepImages: Bool = false, on db: any Database) async throws -> GroupInfo {
        let groupID = try Validate.id(groupID, "groupId")
        guard try await findGroup(caller, groupID, on: db, required: false) == nil else { throw GalleryFailure.groupExists(groupID) }
        guard customFields.count <= 5, Set(customFields).count == customFields.count else {
            throw GalleryFailure.invalid("at most 5 distinct custom fields")
        }
        let group = GroupModel(organisationID: caller.organisationID, applicationID: caller.applicationID, groupID: groupID,
                               name: try Validate.text(name, "name"), tag: try Validate.text(tag, "tag", allowEmpty: true),
                               customFields: try customFields.map { try Validate.text($0, "customFields") },
                               keepImages: keepImages, modelVersion: Self.embedder.modelVersion)
        try await group.create(on: db)
        return try await info(group, on: db)
    }

    public func modifyGroup(_ caller: GalleryCaller, groupID: String, name: String?, tag: String?, addCustomFields: [String]?,
                            on db: any Database) async throws -> GroupInfo {
        let group = try await requireGroup(caller, groupID, on: db)
        if let name { group.name = try Validate.text(name, "name") }
        if let tag { group.tag = try Validate.text(tag, "tag", allowEmpty: true) }
        if let added = addCustomFields {
            let fields = group.customFields + (try added.map { try Validate.text($0, "customFields") })
            guard fields.count <= 5, Set(fields).count == fields.count else { throw GalleryFailure.invalid("at most 5 distinct custom fields") }
            group.customFields = fields
        }
        try await group.save(on: db)
        return try await info(group, on: db)
    }

    /// Deletes the group; persons left in no group are deleted with their faces.
    public func deleteGroup(_ caller: GalleryCaller, groupID: String, on db: any Database) async throws {
        let group = try await requireGroup(caller, groupID, on: db)
        let groupRow = try group.requireID()
        let orphans: [PersonModel] = try await db.writeTransaction { db in
            let members = try await MembershipModel.query(on: db).filter(\.$groupRow == groupRow).all(\.$personRow)
            try await MembershipModel.query(on: db).filter(\.$groupRow == groupRow).delete()
            let stillMember = Set(try await MembershipModel.query(on: db).filter(\.$personRow ~~ members).all(\.$personRow))
            let orphans = try await PersonModel.query(on: db).filter(\.$id ~~ members.filter { !stillMember.contains($0) }).all()
            for person in orphans { try await deletePersonRows(person, on: db) }
            try await group.delete(on: db)
            return orphans
        }
        index.drop(group: groupRow)
        _ = orphans
    }

    public func listGroups(_ caller: GalleryCaller, page: Int, size: Int, on db: any Database) async throws -> (items: [GroupInfo], total: Int) {
        let query = GroupModel.query(on: db).filter(\.$applicationID == caller.applicationID).sort(\.$groupID)
        let total = try await query.copy().count()
        let rows = try await query.range(Validate.range(page: page, size: size)).all()
        var items: [GroupInfo] = []
        for row in rows { items.append(try await info(row, on: db)) }
        return (items, total)
    }

    public func getGroup(_ caller: GalleryCaller, groupID: String, on db: any Database) async throws -> GroupInfo {
        try await info(try await requireGroup(caller, groupID, on: db), on: db)
    }

    // MARK: Persons

    /// Enrols a person with their first face (the largest in the image).
    public func createPerson(_ caller: GalleryCaller, groupID: String, personID: String, name: String, gender: Int = 0,
                             customValues: [String: String] = [:], image: DecodedImage, imageBytes: Data,
                             uniquePersonControl: UniquePersonControl = .off, qualityControl: QualityControl = .none,
                             on db: any Database) async throws -> EnrolmentResult {
        let group = try await requireGroup(caller, groupID, on: db)
        let personID = try Validate.id(personID, "personId")
        guard try await findPerson(caller, personID, on: db, required: false) == nil else { throw GalleryFailure.personExists(personID) }
        let values = try Validate.customValues(customValues, allowed: group.customFields)
        let kind = try Self.embedder(group.modelVersion)
        guard let enrolled = try await faces.embedFaces(image, maxFaces: 1, kinds: [kind], qualityControl: qualityControl).first,
              let vector = enrolled.embeddings[kind]?.vector else {
            throw ServiceError(.noFace, "no face found in the image")
        }
        var similar: (String, Float)?
        if uniquePersonControl != .off,
           let best = index.search(groups: [try group.requireID()], version: group.modelVersion, vector: vector, k: 1).first {
            let score = scoreMap(group.modelVersion).score(best.cosine)
            if score >= Self.defaultMatchThreshold, let person = try await PersonModel.find(best.personRow, on: db) {
                if uniquePersonControl == .refuse { throw GalleryFailure.duplicatePerson(person.personID, score) }
                similar = (person.personID, score)
            }
        }
        let person = PersonModel(organisationID: caller.organisationID, applicationID: caller.applicationID, personID: personID,
                                 name: try Validate.text(name, "personName"), gender: try Validate.gender(gender))
        let faceRow = UUID()
        let imageBlob = group.keepImages ? try blobs.put(imageBytes) : nil
        let groupRow = try group.requireID()
        do {
            try await db.writeTransaction { db in
                try await person.create(on: db)
                try await MembershipModel(groupRow: groupRow, personRow: try person.requireID(), customValues: values).create(on: db)
                try await FaceRecordModel(id: faceRow, personRow: try person.requireID(), modelVersion: group.modelVersion,
                                          sealedFeature: try Features.seal(vector, faceRow: faceRow, key: key),
                                          imageBlob: imageBlob, quality: Double(enrolled.face.quality?.overall ?? 0)).create(on: db)
            }
        } catch {
            if let imageBlob { try? blobs.delete(imageBlob) }
            throw error
        }
        index.add(group: groupRow, version: group.modelVersion, [IndexEntry(faceRow: faceRow, personRow: try person.requireID(), vector: vector)])
        return EnrolmentResult(personId: personID, faceIds: [faceRow.uuidString], similarPersonId: similar?.0, similarity: similar?.1)
    }

    public func modifyPerson(_ caller: GalleryCaller, personID: String, name: String?, gender: Int?,
                             groupID: String?, customValues: [String: String]?, on db: any Database) async throws -> PersonInfo {
        let person = try await requirePerson(caller, personID, on: db)
        if let name { person.name = try Validate.text(name, "personName") }
        if let gender { person.gender = try Validate.gender(gender) }
        try await person.save(on: db)
        if let customValues {
            guard let groupID else { throw GalleryFailure.invalid("groupId is required with customValues") }
            let group = try await requireGroup(caller, groupID, on: db)
            guard let membership = try await MembershipModel.query(on: db).filter(\.$groupRow == group.requireID())
                .filter(\.$personRow == person.requireID()).first() else { throw GalleryFailure.personNotFound(personID) }
            membership.customValues = try Validate.customValues(customValues, allowed: group.customFields)
            try await membership.save(on: db)
        }
        return try await info(person, on: db)
    }

    public func deletePerson(_ caller: GalleryCaller, personID: String, on db: any Database) async throws {
        let person = try await requirePerson(caller, personID, on: db)
        let personRow = try person.requireID()
        let groups = try await MembershipModel.query(on: db).filter(\.$personRow == personRow).all(\.$groupRow)
        let faceRows = Set(try await FaceRecordModel.query(on: db).filter(\.$personRow == personRow).all(\.$id).compactMap { $0 })
        try await db.writeTransaction { db in try await deletePersonRows(person, on: db) }
        for group in groups { index.remove(group: group, faceRows: faceRows) }
    }

    /// Takes the person out of one group; a person left in no group is deleted.
    public func deletePersonFromGroup(_ caller: GalleryCaller, personID: String, groupID: String, on db: any Database) async throws {
        let person = try await requirePerson(caller, personID, on: db)
        let group = try await requireGroup(caller, groupID, on: db)
        let personRow = try person.requireID(), groupRow = try group.requireID()
        let faceRows = Set(try await FaceRecordModel.query(on: db).filter(\.$personRow == personRow).all(\.$id).compactMap { $0 })
        try await db.writeTransaction { db in
            let removed = try await MembershipModel.query(on: db).filter(\.$groupRow == groupRow).filter(\.$personRow == personRow).count()
            guard removed > 0 else { throw GalleryFailure.personNotFound(personID) }
            try await MembershipModel.query(on: db).filter(\.$groupRow == groupRow).filter(\.$personRow == personRow).delete()
            if try await MembershipModel.query(on: db).filter(\.$personRow == personRow).count() == 0 {
                try await deletePersonRows(person, on: db)
            }
        }
        index.remove(group: groupRow, faceRows: faceRows)
    }

    /// Adds the person to more groups (their faces join those groups' indexes).
    public func copyPerson(_ caller: GalleryCaller, personID: String, toGroups groupIDs: [String], on db: any Database) async throws -> PersonInfo {
        let person = try await requirePerson(caller, personID, on: db)
        let personRow = try person.requireID()
        var targets: [GroupModel] = []
        for groupID in Set(groupIDs) { targets.append(try await requireGroup(caller, groupID, on: db)) }
        let existing = Set(try await MembershipModel.query(on: db).filter(\.$personRow == personRow).all(\.$groupRow))
        let added = targets.filter { !existing.contains($0.id!) }
        // A group of another model version needs the faces' features under it first.
        try await ensureFeatures(personRow: personRow, for: added, on: db)
        try await db.writeTransaction { db in
            for group in added { try await MembershipModel(groupRow: try group.requireID(), personRow: personRow, customValues: [:]).create(on: db) }
        }
        let records = try await FaceRecordModel.query(on: db).filter(\.$personRow == personRow).all()
        for group in added {
            index.add(group: try group.requireID(), version: group.modelVersion, try await entries(of: records, version: group.modelVersion, on: db))
        }
        return try await info(person, on: db)
    }

    public func listPersons(_ caller: GalleryCaller, groupID: String, page: Int, size: Int, on db: any Database) async throws -> (items: [PersonInfo], total: Int) {
        let group = try await requireGroup(caller, groupID, on: db)
        let members = try await MembershipModel.query(on: db).filter(\.$groupRow == group.requireID()).all(\.$personRow)
        let query = PersonModel.query(on: db).filter(\.$id ~~ members).sort(\.$personID)
        let total = try await query.copy().count()
        var items: [PersonInfo] = []
        for row in try await query.range(Validate.range(page: page, size: size)).all() { items.append(try await info(row, on: db)) }
        return (items, total)
    }

    public func getPerson(_ caller: GalleryCaller, personID: String, on db: any Database) async throws -> PersonInfo {
        try await info(try await requirePerson(caller, personID, on: db), on: db)
    }

    // MARK: Faces

    public func addFaces(_ caller: GalleryCaller, personID: String, images: [(DecodedImage, Data)],
                         qualityControl: QualityControl = .none, on db: any Database) async throws -> [String] {
        let person = try await requirePerson(caller, personID, on: db)
        let personRow = try person.requireID()
        let have = try await FaceRecordModel.query(on: db).filter(\.$personRow == personRow).count()
        guard have + images.count <= Self.maxFacesPerPerson else { throw GalleryFailure.tooManyFaces(Self.maxFacesPerPerson) }
        let groups = try await MembershipModel.query(on: db).filter(\.$personRow == personRow).all(\.$groupRow)
        let groupModels = try await GroupModel.query(on: db).filter(\.$id ~~ groups).all()
        let keepImages = groupModels.contains(where: \.keepImages)
        // Every version of the person's groups gets a feature; the record holds the first.
        let versions = Set(groupModels.map(\.modelVersion)).sorted()
        guard let primary = versions.first else { throw GalleryFailure.personNotFound(personID) }
        let kinds = try versions.map(Self.embedder)
        var records: [(FaceRecordModel, [FaceFeatureModel], [String: [Float]])] = []
        for (image, bytes) in images {
            guard let enrolled = try await faces.embedFaces(image, maxFaces: 1, kinds: Set(kinds), qualityControl: qualityControl).first else {
                throw ServiceError(.noFace, "no face found in one of the images")
            }
            let faceRow = UUID()
            var vectors: [String: [Float]] = [:]
            for (version, kind) in zip(versions, kinds) { vectors[version] = enrolled.embeddings[kind]?.vector }
            let others = try versions.dropFirst().map { version in
                FaceFeatureModel(faceRow: faceRow, modelVersion: version,
                                 sealedFeature: try Features.seal(vectors[version]!, faceRow: faceRow, extraVersion: version, key: key))
            }
            records.append((FaceRecordModel(id: faceRow, personRow: personRow, modelVersion: primary,
                                            sealedFeature: try Features.seal(vectors[primary]!, faceRow: faceRow, key: key),
                                            imageBlob: keepImages ? try blobs.put(bytes) : nil,
                                            quality: Double(enrolled.face.quality?.overall ?? 0)), others, vectors))
        }
        let created = records
        try await db.writeTransaction { db in
            for (record, others, _) in created {
                try await record.create(on: db)
                for feature in others { try await feature.create(on: db) }
            }
        }
        for group in groupModels {
            index.add(group: try group.requireID(), version: group.modelVersion, created.map { record, _, vectors in
                IndexEntry(faceRow: record.id!, personRow: personRow, vector: vectors[group.modelVersion]!)
            })
        }
        return records.map { $0.0.id!.uuidString }
    }

    public func deleteFaces(_ caller: GalleryCaller, personID: String, faceIDs: [String], on db: any Database) async throws {
        let person = try await requirePerson(caller, personID, on: db)
        let personRow = try person.requireID()
        let rows = Set(faceIDs.compactMap(UUID.init(uuidString:)))
        let records = try await FaceRecordModel.query(on: db).filter(\.$personRow == personRow).filter(\.$id ~~ Array(rows)).all()
        guard records.count == faceIDs.count else { throw GalleryFailure.faceNotFound(faceIDs.joined(separator: ",")) }
        let remaining = try await FaceRecordModel.query(on: db).filter(\.$personRow == personRow).count() - records.count
        guard remaining >= 1 else { throw GalleryFailure.invalid("a person keeps at least one face; delete the person instead") }
        try await db.writeTransaction { db in
            try await FaceFeatureModel.query(on: db).filter(\.$faceRow ~~ Array(rows)).delete()
            for record in records { try await record.delete(on: db) }
        }
        for record in records { if let blob = record.imageBlob { try? blobs.delete(blob) } }
        for group in try await MembershipModel.query(on: db).filter(\.$personRow == personRow).all(\.$groupRow) {
            index.remove(group: group, faceRows: rows)
        }
    }

    // MARK: Search and verify

    public func search(_ caller: GalleryCaller, groupIDs: [String], image: DecodedImage, maxFaces: Int = 1, maxPersons: Int = 5,
                       threshold: Float? = nil, byGroup: Bool = false, qualityControl: QualityControl = .none,
                       on db: any Database) async throws -> [FaceSearchResult] {
        guard !groupIDs.isEmpty, groupIDs.count <= Self.maxGroupsPerSearch else {
            throw GalleryFailure.invalid("groupIds: 1 to \(Self.maxGroupsPerSearch) groups")
        }
        guard (1...Self.maxFacesPerSearch).contains(maxFaces) else { throw GalleryFailure.invalid("maxFaces: 1 to \(Self.maxFacesPerSearch)") }
        guard (1...100).contains(maxPersons) else { throw GalleryFailure.invalid("maxPersons: 1 to 100") }
        let threshold = threshold ?? Self.defaultMatchThreshold
        var groups: [UUID: GroupModel] = [:]
        for groupID in Set(groupIDs) { let g = try await requireGroup(caller, groupID, on: db); groups[try g.requireID()] = g }
        // Groups of different model versions are searched each with its own embedding.
        let byVersion = Dictionary(grouping: groups.values, by: \.modelVersion).mapValues { $0.map { $0.id! } }
        var kinds: [String: EmbedderKind] = [:]
        for version in byVersion.keys { kinds[version] = try Self.embedder(version) }
        let probes = try await faces.embedFaces(image, maxFaces: maxFaces, kinds: Set(kinds.values), qualityControl: qualityControl)
        guard !probes.isEmpty else { throw ServiceError(.noFace, "no face found in the image") }
        var results: [FaceSearchResult] = []
        for probe in probes {
            var matches: [(match: IndexMatch, score: Float)] = []
            for (version, rows) in byVersion {
                guard let vector = probe.embeddings[kinds[version]!]?.vector else { continue }
                let scores = scoreMap(version)
                matches += index.search(groups: rows, version: version, vector: vector, k: maxPersons * Self.maxFacesPerPerson)
                    .map { ($0, scores.score($0.cosine)) }
            }
            // Several faces of one person may match: keep each person's best, best first.
            var best: [UUID: (match: IndexMatch, score: Float)] = [:]
            var bestInGroup: [UUID: [UUID: (match: IndexMatch, score: Float)]] = [:]
            for found in matches.sorted(by: { $0.score > $1.score }) where found.score >= threshold {
                let person = found.match.personRow
                if best[person] == nil { best[person] = found }
                if bestInGroup[found.match.groupRow]?[person] == nil { bestInGroup[found.match.groupRow, default: [:]][person] = found }
            }
            let persons = Dictionary(uniqueKeysWithValues: try await PersonModel.query(on: db).filter(\.$id ~~ Array(best.keys)).all().map { ($0.id!, $0) })
            func candidates(_ found: [(match: IndexMatch, score: Float)]) -> [PersonCandidate] {
                found.sorted { $0.score > $1.score }.prefix(maxPersons).compactMap { match, score in
                    guard let person = persons[match.personRow], let group = groups[match.groupRow] else { return nil }
                    return PersonCandidate(personId: person.personID, name: person.name, faceId: match.faceRow.uuidString,
                                           score: (score * 100).rounded() / 100, groupId: group.groupID)
                }
            }
            let box = probe.face.face.box
            results.append(FaceSearchResult(
                face: FaceBox(x: box.x, y: box.y, width: box.width, height: box.height),
                candidates: candidates(Array(best.values)),
                groups: byGroup ? Dictionary(uniqueKeysWithValues: groups.map { row, group in
                    (group.groupID, candidates(Array((bestInGroup[row] ?? [:]).values)))
                }) : nil))
        }
        return results
    }

    /// Is the largest face of the image this person? By their best face and by their template.
    public func verify(_ caller: GalleryCaller, personID: String, image: DecodedImage, threshold: Float? = nil,
                       qualityControl: QualityControl = .none, on db: any Database) async throws -> VerifyResult {
        let person = try await requirePerson(caller, personID, on: db)
        let personRow = try person.requireID()
        // The person's features exist under every version of their groups; use the default
        // embedder's when one of them has it.
        let groupRows = try await MembershipModel.query(on: db).filter(\.$personRow == personRow).all(\.$groupRow)
        let versions = Set(try await GroupModel.query(on: db).filter(\.$id ~~ groupRows).all(\.$modelVersion))
        let version = versions.contains(Self.embedder.modelVersion) ? Self.embedder.modelVersion : versions.sorted().first ?? Self.embedder.modelVersion
        let kind = try Self.embedder(version)
        let records = try await FaceRecordModel.query(on: db).filter(\.$personRow == personRow).all()
        let vectors = try await entries(of: records, version: version, on: db).map(\.vector)
        guard let probe = try await faces.embedFaces(image, maxFaces: 1, kinds: [kind], qualityControl: qualityControl).first?.embeddings[kind] else {
            throw ServiceError(.noFace, "no face found in the image")
        }
        let byFace = vectors.map { Features.cosine($0, probe.vector) }.max() ?? -1
        let byTemplate = Features.cosine(Features.template(vectors), probe.vector)
        let scoreMap = scoreMap(version)
        let threshold = threshold ?? CompareCalibration.thresholds["1e-4"]!
        let faceScore = scoreMap.score(byFace), templateScore = scoreMap.score(byTemplate)
        return VerifyResult(personId: personID, scoreByFace: (faceScore * 100).rounded() / 100,
                            scoreByTemplate: (templateScore * 100).rounded() / 100,
                            isMatch: max(faceScore, templateScore) >= threshold, threshold: threshold)
    }

    // MARK: Helpers

    func findGroup(_ caller: GalleryCaller, _ groupID: String, on db: any Database, required: Bool) async throws -> GroupModel? {
        let group = try await GroupModel.query(on: db).filter(\.$applicationID == caller.applicationID).filter(\.$groupID == groupID).first()
        if group == nil && required { throw GalleryFailure.groupNotFound(groupID) }
        return group
    }

    func requireGroup(_ caller: GalleryCaller, _ groupID: String, on db: any Database) async throws -> GroupModel {
        try await findGroup(caller, groupID, on: db, required: true)!
    }

    func findPerson(_ caller: GalleryCaller, _ personID: String, on db: any Database, required: Bool) async throws -> PersonModel? {
        let person = try await PersonModel.query(on: db).filter(\.$applicationID == caller.applicationID).filter(\.$personID == personID).first()
        if person == nil && required { throw GalleryFailure.personNotFound(personID) }
        return person
    }

    func requirePerson(_ caller: GalleryCaller, _ personID: String, on db: any Database) async throws -> PersonModel {
        try await findPerson(caller, personID, on: db, required: true)!
    }

    func deletePersonRows(_ person: PersonModel, on db: any Database) async throws {
        let personRow = try person.requireID()
        let records = try await FaceRecordModel.query(on: db).filter(\.$personRow == personRow).all()
        for record in records { if let blob = record.imageBlob { try? blobs.delete(blob) } }
        try await FaceFeatureModel.query(on: db).filter(\.$faceRow ~~ records.compactMap(\.id)).delete()
        try await FaceRecordModel.query(on: db).filter(\.$personRow == personRow).delete()
        try await MembershipModel.query(on: db).filter(\.$personRow == personRow).delete()
        try await person.delete(on: db)
    }

    func info(_ group: GroupModel, on db: any Database) async throws -> GroupInfo {
        let groupRow = try group.requireID()
        let members = try await MembershipModel.query(on: db).filter(\.$groupRow == groupRow).all(\.$personRow)
        let faceCount = members.isEmpty ? 0 : try await FaceRecordModel.query(on: db).filter(\.$personRow ~~ members).count()
        return GroupInfo(groupId: group.groupID, name: group.name, tag: group.tag, customFields: group.customFields,
                         keepImages: group.keepImages, modelVersion: group.modelVersion,
                         previousModelVersion: group.previousModelVersion, personCount: members.count,
                         faceCount: faceCount, indexedFaces: index.count(group: groupRow, version: group.modelVersion),
                         createdAt: group.createdAt)
    }

    func info(_ person: PersonModel, on db: any Database) async throws -> PersonInfo {
        let personRow = try person.requireID()
        let memberships = try await MembershipModel.query(on: db).filter(\.$personRow == personRow).all()
        let groups = try await GroupModel.query(on: db).filter(\.$id ~~ memberships.map(\.groupRow)).all()
        let names = Dictionary(uniqueKeysWithValues: groups.map { ($0.id!, $0.groupID) })
        let faceRows = try await FaceRecordModel.query(on: db).filter(\.$personRow == personRow).sort(\.$createdAt).all().compactMap(\.id)
        return PersonInfo(personId: person.personID, name: person.name, gender: person.gender,
                          groupIds: memberships.compactMap { names[$0.groupRow] }.sorted(),
                          faceIds: faceRows.map(\.uuidString),
                          customValues: Dictionary(uniqueKeysWithValues: memberships.compactMap { m in names[m.groupRow].map { ($0, m.customValues) } }),
                          createdAt: person.createdAt)
    }
}
