import ArgumentParser
import Evaluation
import FaceServices
import Foundation
import Liveness

struct EvalPAD: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pad",
        abstract: "Presentation attack detection: APCER per attack type and BPCER of each liveness mode (ISO/IEC 30107-3).",
        discussion: """
        Bona fide users are the real clips of the data folder; attacks are the real screen replay of spoof/ \
        and attacks made from the clips with ffmpeg (still photo, print, simulated screen replay, wrong order, \
        face swap, a recording of another challenge, colours in another order or out of time, digital zooms), \
        plus injected frames. The videos are made once into --corpus and reused.
        """)

    @Option(help: "The data folder.") var data = "../shared/data"
    @Option(help: "Folder for the attack videos (made once, reused).") var corpus = "out/eval-pad/corpus"
    @Option(help: "Seed of the challenges, colour sequences and moves drawn.") var seed: UInt64 = 42
    @Option(help: "Engine workers.") var workers = ProcessInfo.processInfo.activeProcessorCount
    @Flag(help: "Print the figures as one JSON object on the last line.") var json = false
    @Flag(help: "List how every presentation was decided, not only those in error.") var verbose = false
    @OptionGroup var engine: EngineArguments

    func run() async throws {
        let machine = MachineInfo.current()
        FileHandle.standardError.write(Data("\(machine.line)\n".utf8))
        let pool = try EnginePool(options: engine.engineOptions(dlib: false, attributes: false), workers: workers)
        defer { pool.shutdown() }
        let corpus = PADCorpus(data: URL(fileURLWithPath: data), folder: URL(fileURLWithPath: corpus), seed: seed)
        FileHandle.standardError.write(Data("making the attack videos in \(self.corpus) (once)…\n".utf8))
        let samples = try await corpus.samples(
            faceBox: { url in try await pool.run { engine in try Self.firstFace(url, on: engine) } },
            meshes: { url, count in try await pool.run { engine in try Self.meshes(url, count: count, on: engine) } })
        let report = try await PADEvaluation(pool: pool).run(samples, machine: machine)
        try emit(report, json: json) { Self.text(report, verbose: verbose) }
    }

    static func firstFace(_ url: URL, on engine: FaceEngine) throws -> Box? {
        let reader = try VideoReader(path: url.path)
        guard let frame = try reader.next() else { return nil }
        return try engine.detect(frame.image, minScore: 0.8, minFaceSize: 40, maxFaces: 1, coarseToFine: true).first?.box
    }

    /// The meshes of the clip's frames at 12 a second (`count` of them at most).
    static func meshes(_ url: URL, count: Int, on engine: FaceEngine) throws -> [FaceMesh] {
        let reader = try VideoReader(path: url.path)
        var meshes: [FaceMesh] = []
        while meshes.count < count, let frame = try reader.next(sampledAt: 12) {
            if let face = try engine.detect(frame.image, minScore: 0.8, minFaceSize: 40, maxFaces: 1, coarseToFine: true).first {
                meshes.append(try engine.mesh(frame.image, face: face))
            }
        }
        return meshes
    }

    static func text(_ report: PADEvaluation.Report, verbose: Bool) -> String {
        var lines = [report.machine.line,
                     "mode          presentations                          n   errors   APCER / BPCER   codes"]
        for row in report.rows {
            let kind = row.label == "bona fide" ? "BPCER" : "APCER"
            let codes = row.codes.sorted { $0.key < $1.key }.map { "\($0.key) x\($0.value)" }.joined(separator: ", ")
            lines.append(row.mode.padding(toLength: 14, withPad: " ", startingAt: 0)
                + row.label.padding(toLength: 36, withPad: " ", startingAt: 0)
                + String(format: "%4d   %4d     %@ %5.1f %%    %@", row.presentations, row.errors, kind, row.rate * 100, codes))
            for error in row.inError { lines.append("    in error: \(error)") }
            if verbose { for decision in row.decisions { lines.append("    decided: \(decision)") } }
        }
        lines.append("thresholds: " + report.thresholds.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; "))
        lines.append(String(format: "%.0f s", report.seconds))
        return lines.joined(separator: "\n")
    }
}
