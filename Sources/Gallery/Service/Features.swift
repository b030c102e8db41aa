import FaceServices
import Fluent
import Foundation
import Platform

/// Seals and opens stored face features: 128 float32 values, little-endian, sealed with the
/// data key and bound to the face's row id (and, for a feature in `gallery_face_features`,
/// to its model version, so a feature cannot be passed off as another model's).
enum Features {
    static func seal(_ vector: [Float], faceRow: UUID, extraVersion: String? = nil, key: DataKey) throws -> Data {
        var bytes = Data(capacity: vector.count * 4)
        for value in vector { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        return try key.seal(bytes, context: context(faceRow, extraVersion))
    }

    static func open(_ sealed: Data, faceRow: UUID, extraVersion: String? = nil, key: DataKey) throws -> [Float] {
        let bytes = try key.open(sealed, context: context(faceRow, extraVersion))
        return stride(from: 0, to: bytes.count - 3, by: 4).map { offset in
            let bits = bytes[bytes.startIndex + offset ..< bytes.startIndex + offset + 4]
                .enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
            return Float(bitPattern: bits)
        }
    }

    /// The faces' vectors under `version`, by face row; faces without one are left out.
    static func vectors(of records: [FaceRecordModel], version: String, key: DataKey, on db: any Database) async throws -> [UUID: [Float]] {
        var vectors: [UUID: [Float]] = [:]
        var others: [UUID] = []
        for record in records {
            let row = try record.requireID()
            if record.modelVersion == version {
                vectors[row] = try Features.open(record.sealedFeature, faceRow: row, key: key)
            } else {
                others.append(row)
            }
        }
        for chunk in stride(from: 0, to: others.count, by: 500).map({ Array(others[$0 ..< min(others.count, $0 + 500)]) }) {
            for feature in try await FaceFeatureModel.query(on: db).filter(\.$faceRow ~~ chunk).filter(\.$modelVersion == version).all() {
                vectors[feature.faceRow] = try Features.open(feature.sealedFeature, faceRow: feature.faceRow, extraVersion: version, key: key)
            }
        }
        return vectors
    }

    private static func context(_ faceRow: UUID, _ extraVersion: String?) -> String {
        "face:\(faceRow.uuidString.lowercased())" + (extraVersion.map { ":\($0)" } ?? "")
    }

    /// The person template: the normalised mean of their faces.
    static func template(_ vectors: [[Float]]) -> [Float] {
        guard let first = vectors.first else { return [] }
        var sum = [Float](repeating: 0, count: first.count)
        for vector in vectors { for i in sum.indices { sum[i] += vector[i] } }
        let norm = sum.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? sum.map { $0 / norm } : sum
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        var sum: Float = 0
        for i in 0..<min(a.count, b.count) { sum += a[i] * b[i] }
        return sum
    }
}
