import ArgumentParser
import FaceServices
import Foundation

struct Detect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Detect faces in an image and print boxes, key points, quality and attributes.")

    @Argument(help: "Image file (JPEG, PNG, BMP, WebP or GIF).") var image: String
    @Option(help: "Detector: yunet or hog.") var detector: DetectorKind = .yunet
    @Option(help: "Most faces to report.") var maxFaces = 10
    @Option(help: "Smallest detection score, 0-1.") var minScore: Float = DetectOptions().minScore
    @Flag(help: "Also run the mesh: head pose, eye and mouth openness.") var analyze = false
    @Flag(help: "Print the result as JSON.") var json = false
    @OptionGroup var engine: EngineArguments

    func run() async throws {
        let service = FaceService(pool: try EnginePool(options: engine.engineOptions(), workers: 1))
        let decoded = try service.decode(try Data(contentsOf: URL(fileURLWithPath: image)))
        let faces = try await service.detect(decoded, options: DetectOptions(
            detector: detector, maxFaces: maxFaces, minScore: minScore, withQuality: true, withAttributes: true))
        let rows = faces.map(FaceRow.init)
        if json { print(try JSONLine.encode(rows)); return }
        print("\(image): \(decoded.width)x\(decoded.height), \(faces.count) face(s)")
        for (i, row) in rows.enumerated() {
            print(String(format: "  #%d box=(%.0f,%.0f %.0fx%.0f) score=%.3f quality=%.0f age=%@ male=%@",
                         i + 1, row.box.x, row.box.y, row.box.width, row.box.height, row.score, row.quality ?? -1,
                         row.age.map { String(format: "%.0f", $0) } ?? "n/a",
                         row.maleProbability.map { String(format: "%.2f", $0) } ?? "n/a"))
        }
        if analyze {
            let analyses = try await service.analyze(decoded, options: DetectOptions(detector: detector, maxFaces: maxFaces, minScore: minScore), want68: false)
            for (i, a) in analyses.enumerated() {
                print(String(format: "  #%d mesh presence=%.3f yaw=%.1f pitch=%.1f roll=%.1f eyes=%.3f mouth=%.3f", i + 1,
                             a.mesh?.presence ?? -1, a.pose?.yaw ?? .nan, a.pose?.pitch ?? .nan, a.pose?.roll ?? .nan,
                             a.openness?.eyes ?? .nan, a.openness?.mouth ?? .nan))
            }
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
