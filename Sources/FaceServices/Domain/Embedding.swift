/// A face-recognition model that turns an aligned face into a 128-d vector.
public enum EmbedderKind: String, Sendable, Codable, CaseIterable {
    case sface
    case dlib

    /// Recorded with every stored feature, so features of different models are never mixed.
    public var modelVersion: String {
        switch self {
        case .sface: "sface-2021dec"
        case .dlib: "dlib-resnet-v1"
        }
    }

    public init?(modelVersion: String) {
        guard let kind = Self.allCases.first(where: { $0.modelVersion == modelVersion }) else { return nil }
        self = kind
    }
}

/// A detected face with its embedding by each model that was asked for.
public struct EmbeddedFace: Sendable {
    public var face: DetectedFace
    public var embeddings: [EmbedderKind: Embedding]

    public init(face: DetectedFace, embeddings: [EmbedderKind: Embedding]) {
        self.face = face
        self.embeddings = embeddings
    }
}

/// A unit-length face feature vector of one embedder.
public struct Embedding: Sendable, Equatable {
    public let kind: EmbedderKind
    public let vector: [Float]

    /// Normalises `raw` to unit length (a zero vector stays zero).
    public init(kind: EmbedderKind, raw: [Float]) {
        self.kind = kind
        let norm = raw.reduce(0) { $0 + $1 * $1 }.squareRoot()
        vector = norm > 0 ? raw.map { $0 / norm } : raw
    }

    /// Cosine similarity, -1...1.
    public func cosine(_ other: Embedding) -> Float {
        precondition(kind == other.kind, "embeddings of different models are not comparable")
        var sum: Float = 0
        for i in vector.indices { sum += vector[i] * other.vector[i] }
        return sum
    }
}
