import ArgumentParser
import Evaluation
import FaceServices
import Foundation
import Liveness

struct EvalStaticLiveness: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "static-liveness",
        abstract: "Train and measure the static (one photo) liveness classifier: APCER per attack and BPCER, leaving one person out.",
        discussion: """
        Faces of six people: the crops and recordings of spoof/ (live, real phone-screen replay) and the clips \
        of videos/liveportrait (live) with prints and screen replays made from them with ffmpeg. Each person is \
        scored by the model trained on the other five; the shipped model is trained on everyone.
        """)

    @Option(help: "The data folder.") var data = "../shared/data"
    @Option(help: "Folder for the attack videos (shared with `eval pad`; made once, reused).") var corpus = "out/eval-pad/corpus"
    @Option(help: "Write the model trained on the whole set to this file (the shipped one is Sources/Liveness/StaticLiveness/static-liveness-model.json).") var writeModel: String?
    @Option(help: "Engine workers.") var workers = ProcessInfo.processInfo.activeProcessorCount
    @Flag(help: "Print the figures as one JSON object on the last line.") var json = false
    @OptionGroup var engine: EngineArguments

    func run() async throws {
        let machine = MachineInfo.current()
        FileHandle.standardError.write(Data("\(machine.line)\n".utf8))
        let pool = try EnginePool(options: engine.engineOptions(dlib: false, mesh: false, attributes: false), workers: workers)
        defer { pool.shutdown() }
        let evaluation = StaticLivenessEvaluation(data: URL(fileURLWithPath: data), corpus: URL(fileURLWithPath: corpus), pool: pool)
        let (report, model) = try await evaluation.run(machine: machine)
        if let writeModel {
            try model.shippedJSON().write(to: URL(fileURLWithPath: writeModel), options: .atomic)
            FileHandle.standardError.write(Data("model written to \(writeModel)\n".utf8))
        }
        try emit(report, json: json) { Self.text(report) }
    }

    static func text(_ report: StaticLivenessEvaluation.Report) -> String {
        var lines = [report.machine.line,
                     String(format: "threshold %.0f (score 0-100; at or above: live); each person scored by the model trained on the others", report.threshold),
                     "faces                              n    errors (BPCER / APCER)   median score   by person left out"]
        for row in report.rows {
            let people = row.byPerson.sorted { $0.key < $1.key }.map { String(format: "%@ %.0f%%", $0.key, $0.value * 100) }.joined(separator: ", ")
            lines.append(row.kind.padding(toLength: 32, withPad: " ", startingAt: 0)
                + String(format: "%5d   %@ %5.1f %%           %5.1f       ", row.faces, row.live ? "BPCER" : "APCER", row.errorRate * 100, row.medianScore)
                + people)
        }
        lines.append(String(format: "equal error rate %.1f %%, area under the ROC %.3f", report.equalErrorRate * 100, report.areaUnderROC))
        lines.append(String(format: "%.0f s", report.seconds))
        return lines.joined(separator: "\n")
    }
}
