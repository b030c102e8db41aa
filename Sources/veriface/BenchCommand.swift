import ArgumentParser
import Evaluation
import FaceServices
import Foundation

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measure speed.", subcommands: [BenchEngine.self])
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
            return lines.joined(separator: "\n")
        }
    }
}
