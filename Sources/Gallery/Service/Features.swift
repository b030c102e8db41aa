import FaceServices
import Foundation
import Platform

/// Seals and opens stored face features: 128 float32 values, little-endian, sealed with the
/// data key and bound to the face's row id.
enum Features {
    static func seal(_ vector: [Float], faceRow: UUID, key: DataKey) throws -> Data {
        var bytes = Data(capacity: vector.count * 4)
        for value in vector { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        return try key.seal(bytes, context: "face:\(faceRow.uuidString.lowercased())")
    }

    static func open(_ sealed: Data, faceRow: UUID, key: DataKey) throws -> [Float] {
        let bytes = try key.open(sealed, context: "face:\(faceRow.uuidString.lowercased())")
        return stride(from: 0, to: bytes.count - 3, by: 4).map { offset in
            let bits = bytes[bytes.startIndex + offset ..< bytes.startIndex + offset + 4]
                .enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
            return Float(bitPattern: bits)
        }
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
