import ArgumentParser
import Evaluation
import FaceServices
import Foundation
import Gallery

struct EvalLFWSearch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lfw-search",
        abstract: "LFW open-set 1:N identification: top-1 and top-5 rates, and false positives of never-enrolled people at the default threshold.")

    @Option(help: "LFW images folder (one sub-folder per identity).") var images = "../shared/data/lfw/images"
    @Option(help: "Engine workers.") var workers = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Embeddings cache (as for eval lfw; delete it after changing engine code).") var cache: String?
    @Option(help: "Match threshold (score 0-100; default: the search API's).") var threshold = GalleryService.defaultMatchThreshold
    @Flag(help: "Print the figures as one JSON object on the last line.") var json = false
    @OptionGroup var engine: EngineArguments

    func run() async throws {
        let root = URL(fileURLWithPath: images)
        let identities = try LFWSearchEvaluation.identities(in: root)
        let machine = MachineInfo.current()
        let all = identities.values.flatMap { $0 }.sorted()
        FileHandle.standardError.write(Data("\(machine.line)\nLFW: \(identities.count) identities, \(all.count) images\n".utf8))
        let pool = try EnginePool(options: engine.engineOptions(mesh: false, attributes: false), workers: workers)
        let embeddings = try await FaceEmbeddings.cached(at: cache, root: root, images: all, pool: pool)
        pool.shutdown()
        let report = LFWSearchEvaluation(identities: identities, embeddings: embeddings, scoreMap: CompareCalibration.shipped.sface)
            .run(threshold: threshold, machine: machine)
        try emit(report, json: json) {
            [machine.line,
             "LFW 1:N identification (SFace, exact search): \(report.enrolled) people enrolled with their first photo",
             String(format: "genuine probes %d: top-1 %.2f%%, top-5 %.2f%%, top-1 at score >= %.0f: %.2f%%",
                    report.genuineProbes, report.top1 * 100, report.top5 * 100, report.threshold, report.top1AtThreshold * 100),
             String(format: "never-enrolled probes %d: false-positive rate at score >= %.0f: %.2f%%",
                    report.impostorProbes, report.threshold, report.falsePositiveRate * 100),
             "images without a detected face (embedded from a centred box): \(report.undetected)"].joined(separator: "\n")
        }
    }
}
