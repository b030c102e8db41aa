import ArgumentParser
import Evaluation
import FaceServices
import Foundation

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measure speed.", subcommands: [BenchEngine.self, BenchSearch.self, BenchLiveness.self])
}

struct BenchEngine: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Median latency of each engine stage on one core, and throughput with 1 and 2 workers.")

    @Option(help: "A photo with a face; it is scaled to --width x --height.")
    var image = "../shared/data/faces/face_recognition_examples/examples/obama-720p.jpg"
    @Option var width = 640
    @Option var height = 480
    @Option(help: "Timed runs of each stage.") var iterations = 30
    @Option(help: "Requests in each throughput run.") var requests = 60
    @Flag(help: "Print the figures as one JSON object on the last line.") var json = false
    @OptionGroup var engine: EngineArguments

    func run() async throws {
        let bench = EngineBenchmark(options: engine.engineOptions(), iterations: iterations, throughputRequests: requests)
        let report = try await bench.run(imagePath: image, width: width, height: height)
        try emit(report, json: json) {
            var lines = [report.machine.line,
                         "image: \(report.image) scaled to \(report.width)x\(report.height); \(report.iterations) runs per stage, one core",
                         "stage                                    median ms   p90 ms"]
            for s in report.stages {
                lines.append(s.name.padding(toLength: 40, withPad: " ", startingAt: 0) + String(format: " %9.2f %8.2f", s.medianMs, s.p90Ms))
            }
            for t in report.throughput {
                lines.append(String(format: "YuNet+SFace pipeline, %d worker(s): %.1f per second (median %.1f ms, p99 %.1f ms, queue saturated)",
                                    t.workers, t.perSecond, t.medianMs, t.p99Ms))
            }
            if let pipeline = report.pipeline {
                lines.append(String(format: "target %.0f ms median for detect+align+embed on one core: %@ (median %.2f ms)",
                                    report.pipelineTargetMs, pipeline.medianMs <= report.pipelineTargetMs ? "met" : "NOT met",
                                    pipeline.medianMs))
            }
            return lines.joined(separator: "\n")
        }
    }
}

struct BenchSearch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "1:N search: build time, memory, one-core query latency and recall of exact and approximate search.")

    @Option(help: "Faces in each index.") var faces = 3_000_000
    @Option(help: "Timed queries per index (one in five has no true neighbour).") var queries = 200
    @Option(help: "SFace embeddings cache from `veriface eval lfw --cache FILE`; synthetic clustered vectors when absent.")
    var embeddings: String?
    @Option(help: "Lists the approximate index probes (default: automatic).") var probes: Int?
    @Option(help: "Threads for building the approximate index (queries always use one).") var threads = ProcessInfo.processInfo.activeProcessorCount
    @Flag(help: "Print the figures as one JSON object on the last line.") var json = false

    func run() async throws {
        let sets = [SearchVectorSet.random(),
                    try embeddings.map { try SearchVectorSet.embeddings(at: $0) } ?? SearchVectorSet.syntheticFaces()]
        let bench = SearchBenchmark(faces: faces, queries: queries, probes: probes, threads: threads)
        let report = try bench.run(sets: sets)
        try emit(report, json: json) { Self.table(report) }
    }

    static func table(_ report: SearchBenchmark.Report) -> String {
        func mib(_ bytes: Int) -> String { String(format: "%.0f MiB", Double(bytes) / 1_048_576) }
        func right(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        var lines = [report.machine.line,
                     "\(report.faces) faces of 128 floats; \(report.queries) queries, one thread, top 10; \(Int(report.unrelatedShare * 100))% of queries unrelated to any indexed face"]
        for set in report.sets {
            lines.append("")
            lines.append("[\(set.name)] \(set.description)")
            lines.append("index                  build s   index mem   process RSS   peak RSS   p50 ms   p99 ms")
            for figures in [set.exact, set.approximate] {
                lines.append(figures.kind.padding(toLength: 21, withPad: " ", startingAt: 0)
                             + String(format: " %8.1f", figures.buildSeconds) + right(mib(figures.indexBytes), 12)
                             + right(mib(figures.processRSSBytes), 14) + right(mib(figures.peakRSSBytes), 11) + String(format: " %8.2f %8.2f", figures.p50Ms, figures.p99Ms))
            }
            lines.append(String(format: "approximate: %d lists, %d probed; recall vs exact: @1 %.3f, @10 %.3f (with a true neighbour @1 %.3f, unrelated @1 %.3f)",
                                set.approximate.lists ?? 0, set.approximate.probes ?? 0, set.recallAt1, set.recallAt10,
                                set.recallAt1WithNeighbour, set.recallAt1Unrelated))
            lines.append("probes: " + set.probeSweep.map { String(format: "%d -> @1 %.3f @10 %.3f %.2f ms", $0.probes, $0.recallAt1, $0.recallAt10, $0.p50Ms) }
                .joined(separator: "; "))
            for target in set.targets {
                let isBytes = target.what.hasSuffix("bytes")
                let value = isBytes ? mib(Int(target.value)) : String(format: "%.3f", target.value)
                let limit = isBytes ? mib(Int(target.limit)) : String(format: "%.3f", target.limit)
                let relation = target.what.hasPrefix("recall") ? ">=" : "<="
                lines.append("  target \(target.what): \(value) \(relation) \(limit): \(target.met ? "met" : "NOT met")")
            }
        }
        return lines.joined(separator: "\n")
    }
}

struct BenchLiveness: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "liveness",
        abstract: "Per-frame liveness analysis latency on one core over real clips, and the sessions one core sustains.")

    @Option(help: "A video clip, or a folder searched for clips (mp4, webm, mkv, avi, mov).")
    var clips = "../shared/data/videos"
    @Option(help: "Frames per second taken from each clip, as the H5 page sends them.") var rate = 12.0
    @Option(help: "Frames timed from each clip.") var framesPerClip = 30
    @Option(help: "Frames are scaled down to this longest side, as the H5 page sends them.") var longestSide = 640
    @Option(help: "The session's schedule: the detector and the embedding on every Nth frame only.") var embedEvery = 3
    @Flag(help: "Print the figures as one JSON object on the last line.") var json = false
    @OptionGroup var engine: EngineArguments

    func run() async throws {
        let bench = LivenessBenchmark(options: engine.engineOptions(dlib: false, attributes: false), rate: rate,
                                      framesPerClip: framesPerClip, longestSide: longestSide, embedEvery: embedEvery)
        let report = try bench.run(clips: LivenessBenchmark.clips(at: clips))
        try emit(report, json: json) {
            var lines = [report.machine.line,
                         "\(report.frames) frames of \(report.clips.count) clips at \(report.rate) per second, longest side \(report.longestSide), one core",
                         "stage                                                   median ms   p99 ms  mean ms"]
            for s in report.stages + [report.everyFrame, report.withoutEmbedding, report.scheduled] {
                lines.append(s.name.padding(toLength: 55, withPad: " ", startingAt: 0)
                             + String(format: " %9.2f %8.2f %8.2f", s.medianMs, s.p99Ms, s.meanMs))
            }
            lines.append(String(format: "sessions per core at %.0f frames per second (from the mean): %.1f (untracked, embedding every frame), %.1f (as a session runs it)",
                                report.rate, report.sessionsPerCoreEveryFrame, report.sessionsPerCoreScheduled))
            // The mean, not the median, is what a core spends per frame over a session.
            let verdict = report.scheduled.meanMs <= report.targetMs
                ? String(format: "met as a session runs it (mean %.1f ms, median %.1f ms)", report.scheduled.meanMs, report.scheduled.medianMs)
                : String(format: "NOT met (a session's frames: mean %.1f ms)", report.scheduled.meanMs)
            lines.append(String(format: "target %.0f ms per frame per core: ", report.targetMs) + verdict)
            return lines.joined(separator: "\n")
        }
    }
}
