import FaceIndex
import Foundation

/// 1:N search at scale: for each vector set, builds the exact and the approximate index
/// over `faces` faces, times single queries on one thread, and measures the recall of
/// approximate search against exact search.
public struct SearchBenchmark: Sendable {
    public struct IndexFigures: Sendable, Codable {
        public var kind: String
        public var buildSeconds: Double
        /// Bytes the index holds (faces, ids, tables, centroids).
        public var indexBytes: Int
        /// Resident memory of the whole process after the build (the other index is freed).
        public var processRSSBytes: Int
        /// The most the process held during the build (VmHWM, reset before it).
        public var peakRSSBytes: Int
        public var p50Ms: Double
        public var p99Ms: Double
        public var lists: Int?
        public var probes: Int?
    }

    public struct ProbeSetting: Sendable, Codable {
        public var probes: Int
        public var recallAt1: Double
        public var recallAt10: Double
        public var p50Ms: Double
    }

    public struct Target: Sendable, Codable {
        public var what: String
        public var value: Double
        public var limit: Double
        public var met: Bool
    }

    public struct SetReport: Sendable, Codable {
        public var name: String
        public var description: String
        public var exact: IndexFigures
        public var approximate: IndexFigures
        /// Approximate against exact, over all queries.
        public var recallAt1: Double
        public var recallAt10: Double
        /// The same, split: queries made from an indexed face, and unrelated queries.
        public var recallAt1WithNeighbour: Double
        public var recallAt1Unrelated: Double
        public var probeSweep: [ProbeSetting]
        public var targets: [Target]
    }

    public struct Report: Sendable, Codable {
        public var machine: MachineInfo
        public var faces: Int
        public var queries: Int
        public var unrelatedShare: Double
        public var sets: [SetReport]
    }

    public var faces: Int
    public var queries: Int
    /// Share of queries not made from an indexed face.
    public var unrelatedShare: Double
    public var probes: Int?
    public var threads: Int

    public init(faces: Int, queries: Int = 200, unrelatedShare: Double = 0.2, probes: Int? = nil,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.faces = faces
        self.queries = queries
        self.unrelatedShare = unrelatedShare
        self.probes = probes
        self.threads = threads
    }

    public static let exactTargetMs = 150.0
    public static let approximateTargetMs = 5.0
    public static let recallTarget = 0.99
    public static let memoryTargetBytes = 1 << 30
    /// The memory target is stated for 3 million faces; smaller runs are held to their share.
    var memoryLimit: Double { Double(Self.memoryTargetBytes) * Double(faces) / 3_000_000 }

    public func run(sets: [SearchVectorSet]) throws -> Report {
        var reports: [SetReport] = []
        for set in sets { reports.append(try run(set)) }
        return Report(machine: .current(), faces: faces, queries: queries, unrelatedShare: unrelatedShare, sets: reports)
    }

    func run(_ set: SearchVectorSet) throws -> SetReport {
        let everyNth = unrelatedShare > 0 ? max(1, Int((1 / unrelatedShare).rounded())) : Int.max
        let unrelated = (0..<queries).map { $0 % everyNth == everyNth - 1 }
        var picker = SearchRandom(seed: 77)
        let queryVectors = (0..<queries).map { number in
            set.query(number: number, neighbour: unrelated[number] ? nil : Int(picker.next() % UInt64(faces)))
        }

        // Exact first; its answers are the truth for recall, kept while it is freed.
        var exactAnswers: [[IndexHit]] = []
        var exactFigures: IndexFigures
        do {
            let exact = ExactIndex()
            Self.resetPeak()
            let build = try Self.seconds {
                try exact.bulkLoad((0..<faces).lazy.map(set.face), progress: StagedProgress("\(set.name): exact load").report)
            }
            let rss = Self.residentBytes(), peak = Self.residentBytes("VmHWM:")
            let (times, answers) = try timeQueries(queryVectors, label: "\(set.name): exact queries") { try exact.search($0, k: 10) }
            exactAnswers = answers
            exactFigures = IndexFigures(kind: "exact", buildSeconds: build, indexBytes: exact.memoryBytes, processRSSBytes: rss,
                                        peakRSSBytes: peak, p50Ms: Statistics.median(times), p99Ms: Statistics.percentile(times, 99))
        }

        var parameters = ApproximateIndex.Parameters(probes: probes)
        parameters.threads = threads
        let approximate = ApproximateIndex(parameters: parameters)
        Self.resetPeak()
        let build = try Self.seconds {
            try approximate.bulkLoad((0..<faces).lazy.map(set.face), progress: StagedProgress("\(set.name): approximate build").report)
        }
        let rss = Self.residentBytes(), peak = Self.residentBytes("VmHWM:")
        let (times, answers) = try timeQueries(queryVectors, label: "\(set.name): approximate queries") { try approximate.search($0, k: 10) }
        let approximateFigures = IndexFigures(kind: "approximate (IVF)", buildSeconds: build, indexBytes: approximate.memoryBytes,
                                              processRSSBytes: rss, peakRSSBytes: peak, p50Ms: Statistics.median(times),
                                              p99Ms: Statistics.percentile(times, 99), lists: approximate.listCount,
                                              probes: approximate.probes)
        let recall = Self.recall(answers, against: exactAnswers)
        let neighbourRecall = Self.recall(zip(answers, unrelated).filter { !$0.1 }.map(\.0),
                                          against: zip(exactAnswers, unrelated).filter { !$0.1 }.map(\.0))
        let unrelatedRecall = Self.recall(zip(answers, unrelated).filter { $0.1 }.map(\.0),
                                          against: zip(exactAnswers, unrelated).filter { $0.1 }.map(\.0))

        // How recall and speed move with the number of lists probed.
        var sweep: [ProbeSetting] = []
        let chosen = approximate.probes
        for setting in Set([chosen / 4, chosen / 2, chosen, chosen * 2]).filter({ $0 >= 1 }).sorted() where setting != chosen {
            let (times, answers) = try timeQueries(queryVectors, label: "\(set.name): \(setting) probes") {
                try approximate.search($0, k: 10, probes: setting)
            }
            let r = Self.recall(answers, against: exactAnswers)
            sweep.append(ProbeSetting(probes: setting, recallAt1: r.at1, recallAt10: r.at10, p50Ms: Statistics.median(times)))
        }
        sweep.append(ProbeSetting(probes: chosen, recallAt1: recall.at1, recallAt10: recall.at10, p50Ms: approximateFigures.p50Ms))
        sweep.sort { $0.probes < $1.probes }

        let targets = [
            Target(what: "exact p50 ms", value: exactFigures.p50Ms, limit: Self.exactTargetMs, met: exactFigures.p50Ms <= Self.exactTargetMs),
            Target(what: "approximate p50 ms", value: approximateFigures.p50Ms, limit: Self.approximateTargetMs,
                   met: approximateFigures.p50Ms <= Self.approximateTargetMs),
            Target(what: "recall@1, queries with a true neighbour", value: neighbourRecall.at1, limit: Self.recallTarget,
                   met: neighbourRecall.at1 >= Self.recallTarget),
            Target(what: "recall@1, all queries", value: recall.at1, limit: Self.recallTarget, met: recall.at1 >= Self.recallTarget),
            Target(what: "exact index bytes", value: Double(exactFigures.indexBytes), limit: memoryLimit,
                   met: Double(exactFigures.indexBytes) <= memoryLimit),
            Target(what: "approximate index bytes", value: Double(approximateFigures.indexBytes), limit: memoryLimit,
                   met: Double(approximateFigures.indexBytes) <= memoryLimit),
        ]
        return SetReport(name: set.name, description: set.description, exact: exactFigures, approximate: approximateFigures,
                         recallAt1: recall.at1, recallAt10: recall.at10, recallAt1WithNeighbour: neighbourRecall.at1,
                         recallAt1Unrelated: unrelatedRecall.at1, probeSweep: sweep, targets: targets)
    }

    /// Runs the queries one at a time on this thread (after two warm-up queries).
    func timeQueries(_ vectors: [[Float]], label: String, _ search: ([Float]) throws -> [IndexHit]) throws
        -> (milliseconds: [Double], answers: [[IndexHit]]) {
        for vector in vectors.prefix(2) { _ = try search(vector) }
        let progress = ProgressLine(label, total: vectors.count)
        var times: [Double] = [], answers: [[IndexHit]] = []
        for vector in vectors {
            var answer: [IndexHit] = []
            times.append(try Self.seconds { answer = try search(vector) } * 1000)
            answers.append(answer)
            progress.advance()
        }
        progress.finish()
        return (times, answers)
    }

    /// recall@1: the same best face; recall@10: the share of exact's top 10 found.
    static func recall(_ answers: [[IndexHit]], against truth: [[IndexHit]]) -> (at1: Double, at10: Double) {
        guard !answers.isEmpty else { return (.nan, .nan) }
        var at1 = 0.0, at10 = 0.0
        for (answer, expected) in zip(answers, truth) {
            if answer.first?.faceID == expected.first?.faceID { at1 += 1 }
            let found = Set(answer.prefix(10).map(\.faceID))
            at10 += Double(expected.prefix(10).filter { found.contains($0.faceID) }.count) / Double(max(1, min(10, expected.count)))
        }
        return (at1 / Double(answers.count), at10 / Double(answers.count))
    }

    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// A figure from /proc/self/status in bytes (VmRSS unless told; 0 where there is none).
    public static func residentBytes(_ field: String = "VmRSS:") -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field) }) else { return 0 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }

    /// Gives freed heap memory back (so RSS shows what is live) and restarts VmHWM.
    static func resetPeak() {
        #if os(Linux)
        _ = searchMallocTrim(0)
        #endif
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }
}

/// Turns `BuildProgress` callbacks into one `ProgressLine` per stage.
final class StagedProgress: @unchecked Sendable {
    private let label: String
    private var stage: BuildProgress.Stage?
    private var line: ProgressLine?
    private var done = 0

    init(_ label: String) { self.label = label }

    deinit { line?.finish() }

    func report(_ progress: BuildProgress) {
        if progress.stage != stage {
            line?.finish()
            stage = progress.stage
            line = ProgressLine("\(label), \(progress.stage.rawValue)", total: progress.total)
            done = 0
        }
        line?.advance(by: progress.done - done)
        done = progress.done
    }
}

#if os(Linux)
/// glibc's `malloc_trim` (not in the Glibc module map).
@_silgen_name("malloc_trim")
func searchMallocTrim(_ pad: Int) -> Int32
#endif
