import ArgumentParser
import FaceServices
import Foundation

struct Compare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Compare the largest faces of two images (score 0-100).")

    @Argument(help: "First image.") var first: String
    @Argument(help: "Second image.") var second: String
    @Option(help: "fused (default), both, sface or dlib.") var mode: CompareMode = .fused
    @Flag(help: "Print the result as JSON.") var json = false
    @OptionGroup var engine: EngineArguments

    func run() async throws {
        let service = FaceService(pool: try EnginePool(options: engine.engineOptions(mesh: false, attributes: false), workers: 1))
        let a = try service.decode(try Data(contentsOf: URL(fileURLWithPath: first)))
        let b = try service.decode(try Data(contentsOf: URL(fileURLWithPath: second)))
        let outcome = try await service.compare(a, b, mode: mode)
        let c = outcome.comparison
        struct Row: Encodable { var score: Float; var engines: [String: Float]; var cosines: [String: Float]; var thresholds: [String: Float] }
        let row = Row(score: c.score, engines: Dictionary(uniqueKeysWithValues: c.engineScores.map { ($0.key.rawValue, $0.value) }),
                      cosines: Dictionary(uniqueKeysWithValues: c.cosines.map { ($0.key.rawValue, $0.value) }),
                      thresholds: CompareCalibration.thresholds)
        if json { print(try JSONLine.encode(row)); return }
        let engines = c.enginesUsed.map { String(format: "%@ %.1f (cos %.3f)", $0.rawValue, c.engineScores[$0]!, c.cosines[$0]!) }
        print(String(format: "score %.1f  [%@]  same person at FAR 1e-4: %@", c.score, engines.joined(separator: ", "),
                     c.score >= 70 ? "yes" : "no"))
    }
}
