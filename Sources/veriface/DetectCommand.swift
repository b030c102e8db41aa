import ArgumentParser
import FaceServices
import Foundation

struct Detect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Detect faces in an image and print boxes, key points, quality and attributes.")

    @Argument(help: "Image file (JPEG, PNG, BMP, WebP or GIF).") var image: String
    @Option(help: "Detector: yunet or hog.") var detector: DetectorKind = .yunet
    @Option(help: "Most faces to report.") var maxFaces = 10
    @Flag(help: "Print the result as JSON.") var json = false
    @OptionGroup var engine: EngineArguments

    func run() async throws {
        let service = FaceService(pool: try EnginePool(options: engine.engineOptions(), workers: 1))
        let decoded = try service.decode(try Data(contentsOf: URL(fileURLWithPath: image)))
        let faces = try await service.detect(decoded, options: DetectOptions(
            detector: detector, maxFaces: maxFaces, withQuality: true, withAttributes: true))
        let rows = faces.map(FaceRow.init)
        if json { print(try JSONLine.encode(rows)); return }
        print("\(image): \(decoded.width)x\(decoded.height), \(faces.count) face(s)")
        for (i, row) in rows.enumerated() {
            print(String(format: "  #%d box=(%.0f,%.0f %.0fx%.0f) score=%.3f quality=%.0f age=%@ male=%@",
                         i + 1, row.box.x, row.box.y, row.box.width, row.box.height, row.score, row.quality ?? -1,
                         row.age.map { String(format: "%.0f", $0) } ?? "n/a",
                         row.maleProbability.map { String(format: "%.2f", $0) } ?? "n/a"))
        }
    }
}

extension DetectorKind: ExpressibleByArgument {}
extension CompareMode: ExpressibleByArgument {}

private struct FaceRow: Encodable {
    var box: Box
    var score: Float
    var keyPoints: [Point]
    var quality: Float?
    var age: Float?
    var maleProbability: Float?

    init(_ detected: DetectedFace) {
        box = detected.face.box
        score = detected.face.score
        keyPoints = detected.face.keyPoints
        quality = detected.quality?.overall
        age = detected.attributes?.age
        maleProbability = detected.attributes?.maleProbability
    }
}
