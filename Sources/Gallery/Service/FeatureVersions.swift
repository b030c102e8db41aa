import FaceServices
import Fluent
import Foundation

/// Faces under several model versions. The rule every write keeps: each face of a person
/// has a feature under the model version of every group the person is in. The face record
/// holds the feature of the version it was enrolled with; others are `FaceFeatureModel`s.
extension GalleryService {
    /// The embedder of a model version this server can run.
    static func embedder(_ version: String) throws -> EmbedderKind {
        guard let kind = EmbedderKind(modelVersion: version) else {
            throw GalleryFailure.invalid("unknown model version \(version); known: \(EmbedderKind.allCases.map(\.modelVersion).joined(separator: ", "))")
        }
        return kind
    }

    /// Scores of a model version's cosines on the 0-100 scale of its calibration.
    func scoreMap(_ version: String) -> ScoreMap {
        faces.comparator.calibration.map(for: EmbedderKind(modelVersion: version) ?? Self.embedder)
    }

    /// Index entries of the faces under `version`; throws when one lacks a feature there.
    func entries(of records: [FaceRecordModel], version: String, on db: any Database) async throws -> [IndexEntry] {
        let vectors = try await Features.vectors(of: records, version: version, key: key, on: db)
        return try records.map { record in
            let row = try record.requireID()
            guard let vector = vectors[row] else { throw GalleryFailure.featureMissing(row.uuidString, version) }
            return IndexEntry(faceRow: row, personRow: record.personRow, vector: vector)
        }
    }

    /// Computes features under `version` for the faces that lack one, from their stored
    /// images, and stores them. Returns the faces it could not do (image not kept, or no
    /// face found in it any more), with the reason.
    func extractMissing(_ records: [FaceRecordModel], version: String, on db: any Database) async throws -> [(UUID, String)] {
        let kind = try Self.embedder(version)
        let have = try await Features.vectors(of: records, version: version, key: key, on: db)
        var failed: [(UUID, String)] = []
        var made: [FaceFeatureModel] = []
        for record in records where have[try record.requireID()] == nil {
            let row = try record.requireID()
            guard let blob = record.imageBlob else { failed.append((row, "image not kept")); continue }
            do {
                let image = try await faces.decodeOffLoop(try blobs.get(blob))
                guard let vector = try await faces.embedFaces(image, maxFaces: 1, kinds: [kind]).first?.embeddings[kind]?.vector else {
                    failed.append((row, "no face found in the stored image")); continue
                }
                made.append(FaceFeatureModel(faceRow: row, modelVersion: version,
                                             sealedFeature: try Features.seal(vector, faceRow: row, extraVersion: version, key: key)))
            } catch let error as ServiceError {
                failed.append((row, error.message))
            }
        }
        let created = made
        try await db.writeTransaction { db in
            for feature in created {
                // A concurrent writer may have made it meanwhile: the first one stays.
                if try await FaceFeatureModel.query(on: db).filter(\.$faceRow == feature.faceRow)
                    .filter(\.$modelVersion == version).count() == 0 { try await feature.create(on: db) }
            }
        }
        return failed
    }

    /// Gives the person's faces the features the model versions of `groups` need; throws
    /// when one cannot be made (its image is not kept).
    func ensureFeatures(personRow: UUID, for groups: [GroupModel], on db: any Database) async throws {
        let records = try await FaceRecordModel.query(on: db).filter(\.$personRow == personRow).all()
        for version in Set(groups.map(\.modelVersion)) {
            if let (row, reason) = try await extractMissing(records, version: version, on: db).first {
                throw GalleryFailure.invalid("face \(row.uuidString) has no \(version) feature and cannot get one: \(reason)")
            }
        }
    }
}
