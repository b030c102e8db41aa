import FaceServices
import Foundation

/// Open-set 1:N identification on LFW: the first photo of every identity with two or more
/// photos is enrolled; every other photo of those identities is a genuine probe, and every
/// photo of an identity with a single photo (never enrolled) is an impostor probe.
public struct LFWSearchEvaluation: Sendable {
    public struct Report: Codable, Sendable {
        public var machine: MachineInfo
        public var enrolled: Int
        public var genuineProbes: Int
        public var impostorProbes: Int
        public var threshold: Float
        /// Genuine probes whose identity is the best candidate (any score).
        public var top1: Double
        /// … among the five best candidates.
        public var top5: Double
        /// Genuine probes whose best candidate is their identity and scores at least the threshold.
        public var top1AtThreshold: Double
        /// Impostor probes whose best candidate scores at least the threshold (a false alarm).
        public var falsePositiveRate: Double
        public var undetected: Int
    }

    /// Relative image paths (`Name/Name_0001.jpg`) grouped by identity, sorted.
    public let identities: [String: [String]]
    public let embeddings: FaceEmbeddings
    public let scoreMap: ScoreMap

    public init(identities: [String: [String]], embeddings: FaceEmbeddings, scoreMap: ScoreMap) {
        self.identities = identities
        self.embeddings = embeddings
        self.scoreMap = scoreMap
    }

    /// Every `*.jpg` under `root/<identity>/`.
    public static func identities(in root: URL) throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() {
            let photos = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(name).path)) ?? []
            let images = photos.filter { $0.lowercased().hasSuffix(".jpg") }.sorted().map { "\(name)/\($0)" }
            if !images.isEmpty { result[name] = images }
        }
        return result
    }

    public func run(threshold: Float, machine: MachineInfo) -> Report {
        let enrolledNames = identities.keys.filter { identities[$0]!.count >= 2 }.sorted()
        let gallery = enrolledNames.map { (name: $0, vector: embeddings.entries[identities[$0]![0]]!.sface.vector) }
        var top1 = 0, top5 = 0, top1AtThreshold = 0, genuine = 0, impostor = 0, falseAlarms = 0
        for (name, photos) in identities {
            let isEnrolled = photos.count >= 2
            for photo in isEnrolled ? Array(photos.dropFirst()) : photos {
                guard let probe = embeddings.entries[photo]?.sface.vector else { continue }
                let ranked = gallery.map { (name: $0.name, cosine: Self.dot($0.vector, probe)) }
                    .sorted { $0.cosine > $1.cosine }.prefix(5)
                guard let best = ranked.first else { continue }
                let bestScore = scoreMap.score(best.cosine)
                if isEnrolled {
                    genuine += 1
                    if best.name == name { top1 += 1; if bestScore >= threshold { top1AtThreshold += 1 } }
                    if ranked.contains(where: { $0.name == name }) { top5 += 1 }
                } else {
                    impostor += 1
                    if bestScore >= threshold { falseAlarms += 1 }
                }
            }
        }
        return Report(machine: machine, enrolled: gallery.count, genuineProbes: genuine, impostorProbes: impostor,
                      threshold: threshold, top1: Double(top1) / Double(max(1, genuine)), top5: Double(top5) / Double(max(1, genuine)),
                      top1AtThreshold: Double(top1AtThreshold) / Double(max(1, genuine)),
                      falsePositiveRate: Double(falseAlarms) / Double(max(1, impostor)), undetected: embeddings.missed.count)
    }

    static func dot(_ a: [Float], _ b: [Float]) -> Float {
        var sum: Float = 0
        for i in a.indices { sum += a[i] * b[i] }
        return sum
    }
}
