import ArgumentParser
import Evaluation
import FaceServices
import Foundation

struct Eval: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measure accuracy on labelled data.", subcommands: [EvalLFW.self, EvalLFWSearch.self, EvalPAD.self, EvalStaticLiveness.self])
}

struct EvalLFW: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lfw",
        abstract: "LFW k-fold verification accuracy of SFace, dlib and the fused engine, TAR at fixed FAR, and the ROC.")

    @Option(help: "The View 2 pairs file.") var pairs = "../shared/data/lfw/pairs.txt"
    @Option(help: "Images folder (default: 'images' beside the pairs file).") var images: String?
    @Option(help: "Engine workers.") var workers = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Folder for roc.csv, roc.svg and report.json.") var out = "out/eval-lfw"
    @Option(help: "Embeddings cache: reused when it covers every image and was made with the same model versions, written otherwise. Delete it after changing detection or alignment code: it cannot tell.") var cache: String?
    @Option(help: "Write the shipped calibration (Swift source) calibrated on all images to this file.") var calibrate: String?
    @Flag(help: "Print the figures as one JSON object on the last line.") var json = false
    @OptionGroup var engine: EngineArguments

    func run() async throws {
        let pairsURL = URL(fileURLWithPath: pairs)
        let imagesURL = images.map { URL(fileURLWithPath: $0) } ?? pairsURL.deletingLastPathComponent().appendingPathComponent("images")
        let protocolPairs = try LFWPairs(contentsOf: pairsURL)
        let machine = MachineInfo.current()
        FileHandle.standardError.write(Data("\(machine.line)\nLFW: \(protocolPairs.pairs.count) pairs in \(protocolPairs.folds) folds, \(protocolPairs.images.count) images\n".utf8))

        let pool = try EnginePool(options: engine.engineOptions(mesh: false, attributes: false), workers: workers)
        let embeddings = try await FaceEmbeddings.cached(at: cache, root: imagesURL, images: protocolPairs.images, pool: pool)
        pool.shutdown()
        let evaluation = LFWEvaluation(pairs: protocolPairs, embeddings: embeddings)
        let report = evaluation.run(machine: machine)

        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let roc = evaluation.roc()
        try roc.csv.write(toFile: out + "/roc.csv", atomically: true, encoding: .utf8)
        try roc.svg.write(toFile: out + "/roc.svg", atomically: true, encoding: .utf8)
        try (try JSONLine.encode(report) + "\n").write(toFile: out + "/report.json", atomically: true, encoding: .utf8)
        if let calibrate {
            try evaluation.shippedCalibrationSource().write(toFile: calibrate, atomically: true, encoding: .utf8)
        }
        try emit(report, json: json) { Self.text(report, out: out, calibrate: calibrate) }
    }

    static func text(_ r: LFWEvaluation.Report, out: String, calibrate: String?) -> String {
        var lines = [r.machine.line,
                     "LFW \(r.folds)-fold verification: \(r.pairs) pairs, \(r.images) images, \(r.undetected.count) without a detected face (embedded from a centred box)",
                     "method   accuracy (mean +- std)   TAR@FAR=1e-2  TAR@FAR=1e-3  TAR@FAR=1e-4   (FAR measured on held-out folds)"]
        for m in r.results {
            lines.append(m.method.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0) + String(format: "  %.2f%% +- %.2f%%        %.4f        %.4f        %.4f       (%.1e / %.1e / %.1e)",
                                m.accuracyMean * 100, m.accuracyStd * 100,
                                m.tarAtFar["1e-2"] ?? .nan, m.tarAtFar["1e-3"] ?? .nan, m.tarAtFar["1e-4"] ?? .nan,
                                m.measuredFar["1e-2"] ?? .nan, m.measuredFar["1e-3"] ?? .nan, m.measuredFar["1e-4"] ?? .nan))
        }
        lines.append(String(format: "fused cascade ran dlib on %.1f%% of pairs", r.fusedDlibShare * 100))
        lines.append("per-fold accuracy: " + r.results.map { m in
            m.method.rawValue + " " + m.foldAccuracies.map { String(format: "%.4f", $0) }.joined(separator: " ") }.joined(separator: "; "))
        lines.append("ROC: \(out)/roc.csv, \(out)/roc.svg")
        if let calibrate { lines.append("calibration written to \(calibrate)") }
        return lines.joined(separator: "\n")
    }
}
