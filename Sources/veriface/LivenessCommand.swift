import ArgumentParser
import FaceServices
import Foundation
import Liveness

struct StaticLivenessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "liveness",
        abstract: "Static liveness of photos: the largest face's live score (0-100) and decision, as POST /v1/faces/liveness answers.")

    @Argument(help: "Image files (JPEG, PNG, BMP, WebP or GIF).") var images: [String]
    @Flag(help: "Print one JSON object per image.") var json = false
    @OptionGroup var engine: EngineArguments

    func run() async throws {
        let pool = try EnginePool(options: engine.engineOptions(dlib: false, mesh: false, attributes: false), workers: 1)
        defer { pool.shutdown() }
        let liveness = StaticLiveness(faces: FaceService(pool: pool))
        var failed = false
        for path in images {
            do {
                let image = try liveness.faces.decode(try Data(contentsOf: URL(fileURLWithPath: path)))
                let result = try await liveness.judge(image)
                if json {
                    print(try JSONLine.encode(Row(image: path, score: result.score, threshold: result.threshold, isLive: result.isLive,
                                                 detectors: result.detectors, box: result.face.face.box)))
                } else {
                    let detectors = result.detectors.sorted { $0.key < $1.key }.map { String(format: "%@ %.1f", $0.key, $0.value) }.joined(separator: ", ")
                    print(String(format: "%@: score %.1f (threshold %.0f): %@ (%@)", path, result.score, result.threshold,
                                 result.isLive ? "live" : "not live", detectors))
                }
            } catch {
                failed = true
                print("\(path): \(error)")
            }
        }
        if failed { throw ExitCode(2) }
    }

    private struct Row: Encodable {
        var image: String
        var score: Float
        var threshold: Float
        var isLive: Bool
        var detectors: [String: Float]
        var box: Box
    }
}
