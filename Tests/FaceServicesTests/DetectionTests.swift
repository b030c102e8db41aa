import FaceServices
import Foundation
import TestSupport
import XCTest

final class DetectionTests: XCTestCase {
    let service = TestData.service

    /// Labelled boxes of dlib's example photos (imglab XML), by file name.
    static func dlibLabels() throws -> [String: [Box]] {
        var labels: [String: [Box]] = [:]
        for xml in ["training.xml", "testing.xml"] {
            let text = try String(contentsOf: TestData.url("faces/dlib_examples_faces/examples/faces/\(xml)"), encoding: .isoLatin1)
            var current: String?
            for line in text.split(separator: "\n") {
                if let file = attribute("file", in: line) { current = file; labels[file, default: []] = [] }
                if line.contains("<box"), let file = current,
                   let top = attribute("top", in: line).flatMap(Float.init), let left = attribute("left", in: line).flatMap(Float.init),
                   let width = attribute("width", in: line).flatMap(Float.init), let height = attribute("height", in: line).flatMap(Float.init) {
                    labels[file, default: []].append(Box(x: left, y: top, width: width, height: height))
                }
            }
        }
        return labels
    }

    static func attribute(_ name: String, in line: Substring) -> String? {
        guard let start = line.range(of: " \(name)='") else { return nil }
        let rest = line[start.upperBound...]
        return rest.firstIndex(of: "'").map { String(rest[..<$0]) }
    }

    /// Greedy one-to-one matching at IoU >= 0.5; returns how many labels were found.
    static func matched(_ labels: [Box], _ found: [Box]) -> Int {
        var free = found
        var hits = 0
        for label in labels {
            guard let best = free.indices.max(by: { free[$0].iou(label) < free[$1].iou(label) }),
                  free[best].iou(label) >= 0.5 else { continue }
            free.remove(at: best)
            hits += 1
        }
        return hits
    }

    func testFindsTheLabelledFacesOfDlibsExamples() async throws {
        let labels = try Self.dlibLabels()
        XCTAssertGreaterThanOrEqual(labels.count, 9)
        var total = 0, hits = 0, detections = 0
        for (file, boxes) in labels.sorted(by: { $0.key < $1.key }) {
            let image = try TestData.image("faces/dlib_examples_faces/examples/faces/\(file)")
            let faces = try await service.detect(image, options: DetectOptions(maxFaces: 32, minFaceSize: 10))
            let hit = Self.matched(boxes, faces.map(\.face.box))
            print("detect \(file): \(hit)/\(boxes.count) labelled faces found, \(faces.count) detections")
            total += boxes.count
            hits += hit
            detections += faces.count
        }
        let recall = Double(hits) / Double(total)
        print(String(format: "dlib_examples_faces: recall %.3f (%d/%d) at IoU >= 0.5, %d detections", recall, hits, total, detections))
        XCTAssertGreaterThanOrEqual(recall, 0.9)
    }

    func testCountsTheFacesOfGroupPhotos() async throws {
        let groups: [(String, Int)] = [
            ("faces/face_recognition_examples/examples/two_people.jpg", 2),
            // The two labelled people and, behind them, a child whose face is fully visible.
            ("faces/face_recognition_examples/examples/knn_examples/test/obama_and_biden.jpg", 3),
            ("faces/face_recognition_examples/examples/knn_examples/test/kit_with_rose.jpg", 2),
        ]
        for (file, expected) in groups {
            let faces = try await service.detect(try TestData.image(file), options: DetectOptions(maxFaces: 32))
            XCTAssertEqual(faces.count, expected, file)
        }
        // The face-api.js group photos (The Big Bang Theory cast) and facenet-pytorch's group.
        for file in (1...5).map({ "faces/face_api_js/examples/images/bbt\($0).jpg" }) + ["faces/facenet_pytorch/data/multiface.jpg"] {
            let faces = try await service.detect(try TestData.image(file), options: DetectOptions(maxFaces: 32))
            print("group \(file): \(faces.count) faces")
            XCTAssertGreaterThanOrEqual(faces.count, 2, file)
        }
    }

    func testFindsNothingInPhotosWithoutFaces() async throws {
        let files = try TestData.files(in: "no_face/scikit_image_data") + TestData.files(in: "no_face/dlib_examples_faces")
        XCTAssertGreaterThanOrEqual(files.count, 20)
        for file in files {
            let image = try service.decode(try TestData.bytes(file))
            let faces = try await service.detect(image, options: DetectOptions())
            XCTAssertEqual(faces.count, 0, "\(file): \(faces.map(\.face.score))")
        }
    }

    func testTheHOGFallbackFindsAFaceWithKeyPoints() async throws {
        let image = try TestData.image("faces/face_recognition_examples/examples/obama.jpg")
        let hog = try await service.detect(image, options: DetectOptions(detector: .hog))
        let yunet = try await service.detect(image, options: DetectOptions())
        XCTAssertEqual(hog.count, 1)
        XCTAssertEqual(yunet.count, 1)
        XCTAssertGreaterThan(hog[0].face.box.iou(yunet[0].face.box), 0.4)
        // Both detectors put the subject's right eye on the image's left.
        XCTAssertLessThan(hog[0].face.keyPoints[0].x, hog[0].face.keyPoints[1].x)
        XCTAssertLessThan(yunet[0].face.keyPoints[0].x, yunet[0].face.keyPoints[1].x)
    }

    func testMaximumFacesAndMinimumSizeAreRespected() async throws {
        let image = try TestData.image("faces/face_api_js/examples/images/bbt1.jpg")
        let all = try await service.detect(image, options: DetectOptions(maxFaces: 32))
        let one = try await service.detect(image, options: DetectOptions(maxFaces: 1))
        XCTAssertEqual(one.count, 1)
        // The largest face alone is found coarse to fine, so its box is refined, not identical.
        XCTAssertGreaterThan(try XCTUnwrap(one.first).face.box.iou(try XCTUnwrap(all.first).face.box), 0.8, "the largest face comes first")
        let big = try await service.detect(image, options: DetectOptions(maxFaces: 32, minFaceSize: 1000))
        XCTAssertTrue(big.isEmpty)
    }
}
