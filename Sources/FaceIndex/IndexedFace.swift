import Foundation

/// One face as the index holds it: the ids the caller needs back, and its embedding.
public struct IndexedFace: Sendable {
    public var faceID: UUID
    public var personID: UUID
    /// 128 floats (SFace). It is L2-normalised on the way in, so similarity is the cosine.
    public var vector: [Float]

    public init(faceID: UUID, personID: UUID, vector: [Float]) {
        self.faceID = faceID
        self.personID = personID
        self.vector = vector
    }
}

/// One search result, best first.
public struct IndexHit: Sendable, Equatable {
    public var faceID: UUID
    public var personID: UUID
    /// Cosine similarity recomputed in float32 from the 16-bit stored vector (error below 1e-5).
    public var similarity: Float

    public init(faceID: UUID, personID: UUID, similarity: Float) {
        self.faceID = faceID
        self.personID = personID
        self.similarity = similarity
    }
}

public enum FaceIndexError: Error, Equatable, CustomStringConvertible {
    /// A vector (stored or query) that is not `FaceVector.dimension` long.
    case wrongDimension(expected: Int, got: Int)
    /// A vector with a NaN or infinite component, or all zeros: it has no direction.
    case invalidVector

    public var description: String {
        switch self {
        case .wrongDimension(let expected, let got):
            "face index: vector has \(got) components, the index holds \(expected)-dimensional vectors"
        case .invalidVector:
            "face index: vector is zero or not finite"
        }
    }
}

/// Shape of the vectors every index in this module holds.
public enum FaceVector {
    /// SFace embeddings are 128-dimensional. The SIMD kernels are written for this size.
    public static let dimension = 128

    /// Checks the length and returns the unit vector, or throws.
    static func normalised(_ vector: [Float]) throws -> [Float] {
        guard vector.count == dimension else {
            throw FaceIndexError.wrongDimension(expected: dimension, got: vector.count)
        }
        var squares: Float = 0
        for value in vector { squares += value * value }
        guard squares.isFinite, squares > 0 else { throw FaceIndexError.invalidVector }
        let inverse = 1 / squares.squareRoot()
        return vector.map { $0 * inverse }
    }
}

/// What a long build is doing, for a progress line.
public struct BuildProgress: Sendable {
    public enum Stage: String, Sendable {
        /// Quantising and storing the faces handed to `bulkLoad`.
        case loading
        /// k-means on a sample, for the approximate index's lists.
        case training
        /// Moving every face into its list.
        case assigning
    }

    public var stage: Stage
    public var done: Int
    /// 0 when unknown (a sequence that does not say how long it is).
    public var total: Int
}
