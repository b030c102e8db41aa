import FaceServices
import Foundation
import TestSupport
import XCTest

final class ConcurrencyTests: XCTestCase {
    /// Many concurrent jobs on the pool give exactly the results of one serial engine.
    func testConcurrentJobsMatchSerialResults() async throws {
        let files = ["obama.jpg", "obama2.jpg", "biden.jpg", "obama-480p.jpg"].map { "faces/face_recognition_examples/examples/\($0)" }
        let images = try files.map(TestData.image)
        let serial = try FaceEngine(options: EngineOptions(mesh: false, attributes: false))
        let expected = try images.map { image in
            try serial.embed(image, face: serial.detect(image, maxFaces: 1)[0], with: .dlib)
        }
        let results = try await withThrowingTaskGroup(of: (Int, Embedding).self) { group in
            for round in 0..<24 {
                let index = round % images.count
                let image = images[index]
                group.addTask {
                    let embedding = try await TestData.withEngine { engine in
                        try engine.embed(image, face: engine.detect(image, maxFaces: 1)[0], with: .dlib)
                    }
                    return (index, embedding)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(results.count, 24)
        for (index, embedding) in results {
            XCTAssertEqual(embedding.cosine(expected[index]), 1, accuracy: 1e-5)
        }
    }
}
