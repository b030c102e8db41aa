import FaceIndex
import Foundation

/// Reproducible vectors for the index tests.
struct TestVectors {
    var generator: TestRandom

    init(seed: UInt64) { generator = TestRandom(seed: seed) }

    static func unit(_ vector: [Float]) -> [Float] {
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return vector.map { $0 / norm }
    }

    mutating func normal() -> Float {
        let u = Float(generator.next() >> 40 + 1) / Float(1 << 24), v = Float(generator.next() >> 40) / Float(1 << 24)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }

    mutating func randomUnit() -> [Float] { Self.unit((0..<128).map { _ in normal() }) }

    mutating func perturb(_ vector: [Float], sigma: Float) -> [Float] { Self.unit(vector.map { $0 + sigma * normal() }) }

    /// Unrelated unit vectors.
    mutating func randomFaces(_ count: Int) -> [IndexedFace] {
        (0..<count).map { _ in IndexedFace(faceID: UUID(), personID: UUID(), vector: randomUnit()) }
    }

    /// `identities` people with `perIdentity` faces each at cosine about 0.7 to the person's centre.
    mutating func clusteredFaces(identities: Int, perIdentity: Int) -> [IndexedFace] {
        var faces: [IndexedFace] = []
        for _ in 0..<identities {
            let centre = randomUnit(), person = UUID()
            for _ in 0..<perIdentity { faces.append(IndexedFace(faceID: UUID(), personID: person, vector: perturb(centre, sigma: 0.09))) }
        }
        return faces
    }

    /// The float32 ranking the index must reproduce (the faces' vectors are unit already).
    static func bruteForce(_ query: [Float], _ faces: [IndexedFace], k: Int) -> [(faceID: UUID, similarity: Float)] {
        let q = unit(query)
        return q.withUnsafeBufferPointer { q in
            faces.map { face in
                face.vector.withUnsafeBufferPointer { v in
                    var dot: Float = 0
                    for i in 0..<v.count { dot += v[i] * q[i] }
                    return (face.faceID, dot)
                }
            }
        }.sorted { $0.1 > $1.1 }.prefix(k).map { (faceID: $0.0, similarity: $0.1) }
    }
}

typealias TestRandom = SplitMix64
