import FaceIndex
import Foundation

/// The vectors `veriface bench search` indexes and queries, generated on the fly from a
/// seed and the face's number, so that 3 million of them never sit in memory beside the
/// index (and the exact and approximate index get identical faces).
public struct SearchVectorSet: Sendable {
    public var name: String
    public var description: String
    /// Unit vectors the indexed faces are made from; face i perturbs `bases[i % count]`.
    /// Empty for the random set, where every face is its own random vector.
    let bases: [[Float]]
    /// Base vectors never indexed: unrelated queries that still look like faces.
    let strangers: [[Float]]
    let seed: UInt64

    static let dimension = FaceVector.dimension
    /// Replication noise: cosine about 0.9 between a face and its base (σ² · 128 ≈ 0.23).
    static let replicaNoise: Float = 0.0428
    /// Query noise: cosine about 0.9 between a query and the face it was made from.
    static let queryNoise: Float = 0.0428

    /// Random unit vectors; unrelated queries are fresh random vectors.
    public static func random(seed: UInt64 = 1) -> SearchVectorSet {
        SearchVectorSet(name: "random", description: "random unit vectors", bases: [], strangers: [], seed: seed)
    }

    /// Real SFace embeddings (an LFW cache from `veriface eval lfw --cache FILE`), replicated
    /// with small perturbations. One identity in ten is held out for unrelated queries.
    public static func embeddings(at path: String, seed: UInt64 = 2) throws -> SearchVectorSet {
        struct Cache: Decodable {
            struct Row: Decodable { var sface: [Float] }
            var entries: [String: Row]
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EvaluationError.badInput("\(path): cannot read the embeddings file")
        }
        let cache = try JSONDecoder().decode(Cache.self, from: data)
        var bases: [[Float]] = [], strangers: [[Float]] = []
        let identities = Dictionary(grouping: cache.entries.keys.sorted()) { $0.split(separator: "/").first.map(String.init) ?? $0 }
        for (number, identity) in identities.keys.sorted().enumerated() {
            for image in identities[identity]! {
                let vector = cache.entries[image]!.sface
                guard vector.count == dimension else { continue }
                if number % 10 == 9 { strangers.append(unit(vector)) } else { bases.append(unit(vector)) }
            }
        }
        guard !bases.isEmpty, !strangers.isEmpty else { throw EvaluationError.badInput("\(path): no SFace embeddings") }
        return SearchVectorSet(name: "faces",
                               description: "\(bases.count) real SFace embeddings (\(path)) replicated with perturbations, cosine ~0.9",
                               bases: bases, strangers: strangers, seed: seed)
    }

    /// Without real embeddings: synthetic identities (a random centre each) with several
    /// faces around the centre at cosine about 0.7, like photos of one person.
    public static func syntheticFaces(identities: Int = 5_000, facesPerIdentity: Int = 4, seed: UInt64 = 3) -> SearchVectorSet {
        var generator = SearchRandom(seed: seed)
        var bases: [[Float]] = [], strangers: [[Float]] = []
        // σ² · 128 ≈ 1.04 gives cosine about 0.7 between a face and its identity's centre.
        let spread: Float = 0.09
        for identity in 0..<identities {
            let centre = generator.unitVector(dimension: dimension)
            for _ in 0..<facesPerIdentity {
                let face = perturb(centre, by: spread, using: &generator)
                if identity % 10 == 9 { strangers.append(face) } else { bases.append(face) }
            }
        }
        return SearchVectorSet(name: "faces",
                               description: "SYNTHETIC clustered vectors (no --embeddings given): \(identities) identities x \(facesPerIdentity) faces at cosine ~0.7 to a centre, replicated with perturbations, cosine ~0.9",
                               bases: bases, strangers: strangers, seed: seed)
    }

    /// Face `number`: the same vector every time it is asked for.
    public func face(_ number: Int) -> IndexedFace {
        var generator = SearchRandom(seed: seed &* 0x1000_0001 &+ UInt64(number))
        let vector = bases.isEmpty ? generator.unitVector(dimension: Self.dimension)
            : Self.perturb(bases[number % bases.count], by: Self.replicaNoise, using: &generator)
        let person = bases.isEmpty ? number : number % bases.count
        return IndexedFace(faceID: Self.id(seed, UInt64(number)), personID: Self.id(seed ^ 0xFACE, UInt64(person)), vector: vector)
    }

    /// A query: with `neighbour`, a perturbed copy of that indexed face; else unrelated.
    public func query(number: Int, neighbour: Int?) -> [Float] {
        var generator = SearchRandom(seed: ~seed &* 0x2000_0003 &+ UInt64(number))
        if let neighbour { return Self.perturb(face(neighbour).vector, by: Self.queryNoise, using: &generator) }
        if strangers.isEmpty { return generator.unitVector(dimension: Self.dimension) }
        return Self.perturb(strangers[number % strangers.count], by: Self.replicaNoise, using: &generator)
    }

    static func id(_ seed: UInt64, _ number: UInt64) -> UUID {
        var generator = SearchRandom(seed: seed ^ (number &* 0x9E37_79B9_7F4A_7C15))
        let a = generator.next(), b = generator.next()
        return withUnsafeBytes(of: (a, b)) { UUID(uuid: $0.load(as: uuid_t.self)) }
    }

    static func unit(_ vector: [Float]) -> [Float] {
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return vector.map { $0 / norm }
    }

    static func perturb(_ vector: [Float], by sigma: Float, using generator: inout SearchRandom) -> [Float] {
        unit(vector.map { $0 + sigma * generator.normal() })
    }
}

/// A fast seedable generator with a cheap approximately normal variate (the sum of four
/// 16-bit uniforms, rescaled): generating 3 million 128-d vectors twice must take seconds.
struct SearchRandom: RandomNumberGenerator {
    private var base: SplitMix64
    init(seed: UInt64) { base = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { base.next() }

    /// Mean 0, variance 1 (Irwin-Hall with n = 4).
    mutating func normal() -> Float {
        let bits = next()
        var sum: Float = 0
        for shift in stride(from: 0, to: 64, by: 16) { sum += Float((bits >> UInt64(shift)) & 0xFFFF) }
        return (sum / 65536 - 2) * 1.7320508 // sqrt(12 / 4)
    }

    mutating func unitVector(dimension: Int) -> [Float] {
        SearchVectorSet.unit((0..<dimension).map { _ in normal() })
    }
}
