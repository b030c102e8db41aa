import FaceServices
import Foundation

/// LFW verification accuracy of SFace, dlib and their fusion, the standard way: for each
/// fold, every threshold and calibration is chosen on the other folds only.
public struct LFWEvaluation: Sendable {
    public enum Method: String, CaseIterable, Sendable, Codable {
        case sface, dlib, fused
    }

    public struct MethodResult: Sendable, Codable {
        public var method: Method
        public var foldAccuracies: [Double]
        public var accuracyMean: Double
        public var accuracyStd: Double
        /// Mean over folds of the true-accept rate at the threshold that gives each FAR on
        /// the other folds' different-person pairs; keys "1e-2", "1e-3", "1e-4".
        public var tarAtFar: [String: Double]
        /// The FAR those thresholds actually gave on the held-out fold.
        public var measuredFar: [String: Double]
    }

    public struct Report: Sendable, Codable {
        public var machine: MachineInfo
        public var folds: Int
        public var pairs: Int
        public var images: Int
        public var undetected: [String]
        public var results: [MethodResult]
        /// Share of pairs for which the fused cascade ran dlib.
        public var fusedDlibShare: Double
    }

    static let farLevels: [(String, Double)] = [("1e-2", 1e-2), ("1e-3", 1e-3), ("1e-4", 1e-4)]

    let pairs: LFWPairs
    let embeddings: FaceEmbeddings
    let sface: EmbeddingMatrix
    let dlib: EmbeddingMatrix

    public init(pairs: LFWPairs, embeddings: FaceEmbeddings) {
        self.pairs = pairs
        self.embeddings = embeddings
        let names = embeddings.entries.keys.sorted()
        sface = EmbeddingMatrix(names: names) { embeddings.entries[$0]!.sface }
        dlib = EmbeddingMatrix(names: names) { embeddings.entries[$0]!.dlib }
    }

    static func identity(_ path: String) -> Substring { path.split(separator: "/").first ?? Substring(path) }

    /// Every different-person pair among `images`: cosines of both engines.
    func impostors(among images: [String]) -> (sface: [Float], dlib: [Float]) {
        let rows = images.compactMap { sface.row[$0] }.sorted()
        let ids = rows.map { Self.identity(sface.names[$0]) }
        var s: [Float] = [], d: [Float] = []
        s.reserveCapacity(rows.count * rows.count / 2)
        d.reserveCapacity(rows.count * rows.count / 2)
        for a in 0..<rows.count {
            for b in (a + 1)..<rows.count where ids[a] != ids[b] {
                s.append(sface.dot(rows[a], rows[b]))
                d.append(dlib.dot(rows[a], rows[b]))
            }
        }
        return (s, d)
    }

    /// Calibration from different-person pairs of the given images.
    public func calibration(among images: [String]) -> CompareCalibration {
        let (s, d) = impostors(among: images)
        let sMap = ScoreMap.calibrated(impostors: s, range: -1...1)
        let dMap = ScoreMap.calibrated(impostors: d, range: -1...1)
        let means = zip(s, d).map { (sMap.score($0) + dMap.score($1)) / 2 }
        let fMap = ScoreMap.calibrated(impostors: means, range: 0...100)
        return CompareCalibration(sface: sMap, dlib: dMap, fused: fMap, fusionBand: Self.fusionBand)
    }

    /// SFace scores from about FAR 1e-1 to beyond 1e-5 are near enough to a decision to ask dlib.
    static let fusionBand: ClosedRange<Float> = 40...85

    func score(_ method: Method, _ a: Int, _ b: Int, _ comparator: FaceComparator) -> Float {
        switch method {
        case .sface: sface.dot(a, b)
        case .dlib: dlib.dot(a, b)
        case .fused: comparator.cascadeScore(sfaceCosine: sface.dot(a, b), dlibCosine: dlib.dot(a, b)).score
        }
    }

    public func run(machine: MachineInfo) -> Report {
        let folds = pairs.folds
        var imagesOfFold = [Set<String>](repeating: [], count: folds)
        for pair in pairs.pairs {
            imagesOfFold[pair.fold].insert(pair.first)
            imagesOfFold[pair.fold].insert(pair.second)
        }
        // Per fold: a calibration from the other folds' images, and pair scores under it.
        var comparators: [FaceComparator] = []
        var foldImpostors: [(sface: [Float], dlib: [Float])] = []
        var otherImpostors: [(sface: [Float], dlib: [Float])] = []
        let progress = ProgressLine("calibrating folds", total: folds)
        for k in 0..<folds {
            let others = (0..<folds).filter { $0 != k }.flatMap { imagesOfFold[$0] }
            comparators.append(FaceComparator(calibration: calibration(among: others)))
            otherImpostors.append(impostors(among: others))
            foldImpostors.append(impostors(among: Array(imagesOfFold[k])))
            progress.advance()
        }
        progress.finish()

        var results: [MethodResult] = []
        var dlibRuns = 0
        for method in Method.allCases {
            // scores[k] = (score, same) of every pair of fold k under fold k's calibration.
            let scores: [[(Float, Bool)]] = (0..<folds).map { k in
                pairs.pairs.filter { $0.fold == k }.map { pair in
                    (score(method, sface.row[pair.first]!, sface.row[pair.second]!, comparators[k]), pair.same)
                }
            }
            var accuracies: [Double] = []
            var tar: [String: [Double]] = [:], far: [String: [Double]] = [:]
            for k in 0..<folds {
                let training = (0..<folds).filter { $0 != k }.flatMap { scores[$0] }
                let threshold = Self.bestThreshold(training)
                let correct = scores[k].filter { ($0.0 >= threshold) == $0.1 }.count
                accuracies.append(Double(correct) / Double(scores[k].count))

                let calibrationImpostors = methodScores(method, otherImpostors[k], comparators[k])
                let heldOutImpostors = methodScores(method, foldImpostors[k], comparators[k])
                let sorted = calibrationImpostors.sorted(by: >)
                let genuine = scores[k].filter { $0.1 }.map { $0.0 }
                for (label, level) in Self.farLevels {
                    let t = sorted[min(sorted.count - 1, Int(Double(sorted.count) * level))]
                    tar[label, default: []].append(Double(genuine.filter { $0 > t }.count) / Double(genuine.count))
                    far[label, default: []].append(Double(heldOutImpostors.filter { $0 > t }.count) / Double(max(heldOutImpostors.count, 1)))
                }
            }
            if method == .fused {
                for pair in pairs.pairs {
                    let s = comparators[pair.fold].calibration.sface.score(sface.dot(sface.row[pair.first]!, sface.row[pair.second]!))
                    if comparators[pair.fold].calibration.fusionBand.contains(s) { dlibRuns += 1 }
                }
            }
            let (mean, std) = Statistics.meanAndStd(accuracies)
            results.append(MethodResult(
                method: method, foldAccuracies: accuracies, accuracyMean: mean, accuracyStd: std,
                tarAtFar: tar.mapValues { Statistics.meanAndStd($0).mean },
                measuredFar: far.mapValues { Statistics.meanAndStd($0).mean }))
        }
        return Report(machine: machine, folds: folds, pairs: pairs.pairs.count, images: embeddings.entries.count,
                      undetected: embeddings.missed, results: results,
                      fusedDlibShare: Double(dlibRuns) / Double(max(pairs.pairs.count, 1)))
    }

    func methodScores(_ method: Method, _ cosines: (sface: [Float], dlib: [Float]), _ comparator: FaceComparator) -> [Float] {
        switch method {
        case .sface: cosines.sface
        case .dlib: cosines.dlib
        case .fused: zip(cosines.sface, cosines.dlib).map { comparator.cascadeScore(sfaceCosine: $0, dlibCosine: $1).score }
        }
    }

    /// The threshold with the best accuracy on `scores` (midpoints between sorted scores).
    static func bestThreshold(_ scores: [(Float, Bool)]) -> Float {
        let sorted = scores.sorted { $0.0 < $1.0 }
        // Start with everything accepted: correct = all same-person pairs.
        var correct = sorted.filter { $0.1 }.count
        var best = correct
        var threshold = (sorted.first?.0 ?? 0) - 1
        for i in 0..<sorted.count {
            correct += sorted[i].1 ? -1 : 1 // pair i moves below the threshold
            if correct > best {
                best = correct
                threshold = i + 1 < sorted.count ? (sorted[i].0 + sorted[i + 1].0) / 2 : sorted[i].0 + 1e-4
            }
        }
        return threshold
    }
}

/// Unit embeddings of one engine, one row per image, for fast all-pairs dot products.
struct EmbeddingMatrix: Sendable {
    let names: [String]
    let row: [String: Int]
    let values: [Float]

    init(names: [String], embedding: (String) -> Embedding) {
        self.names = names
        var row: [String: Int] = [:]
        var values: [Float] = []
        values.reserveCapacity(names.count * 128)
        for (i, name) in names.enumerated() {
            row[name] = i
            values.append(contentsOf: embedding(name).vector)
        }
        self.row = row
        self.values = values
    }

    func dot(_ a: Int, _ b: Int) -> Float {
        values.withUnsafeBufferPointer { v in
            var sum: Float = 0
            let pa = v.baseAddress! + a * 128, pb = v.baseAddress! + b * 128
            for i in 0..<128 { sum += pa[i] * pb[i] }
            return sum
        }
    }
}
