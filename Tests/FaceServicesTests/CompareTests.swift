import FaceServices
import Foundation
import TestSupport
import XCTest

final class CompareTests: XCTestCase {
    let service = TestData.service

    struct Labelled { var file: String; var identity: String }

    /// Single-face photos of face_recognition's examples with a plain identity label.
    static func faceRecognitionExamples() throws -> [Labelled] {
        let csv = try String(contentsOf: TestData.url("faces/face_recognition_examples/labels_DERIVED.csv"), encoding: .utf8)
        return csv.split(separator: "\n").dropFirst(2).compactMap { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 3, f[2] == "1", !f[1].contains("("), !f[1].contains("+") else { return nil }
            return Labelled(file: "faces/face_recognition_examples/" + f[0], identity: f[1])
        }
    }

    /// face-api.js: eight people, five face crops each.
    static func faceAPIExamples() throws -> [Labelled] {
        let base = "faces/face_api_js/examples/images"
        let people = try FileManager.default.contentsOfDirectory(atPath: TestData.url(base).path)
            .filter { (try? FileManager.default.contentsOfDirectory(atPath: TestData.url("\(base)/\($0)").path)) != nil }
            .sorted()
        return try people.flatMap { person in try TestData.files(in: "\(base)/\(person)").map { Labelled(file: $0, identity: person) } }
    }

    /// Every pair scored with `mode` (embeddings computed once per photo, scored by the same
    /// comparator the service uses). Same-person pairs must outrank different-person pairs:
    /// `minimumAUC` is the least share of (same, different) pair combinations ordered correctly.
    func checkSeparation(_ set: [Labelled], name: String, mode: CompareMode, minimumAUC: Double) async throws -> (same: [Float], different: [Float], auc: Double) {
        let images = try set.map { try service.decode(try TestData.bytes($0.file)) }
        let embeddings = try await withThrowingTaskGroup(of: (Int, [EmbedderKind: Embedding]).self) { group in
            for (index, image) in images.enumerated() {
                group.addTask {
                    let byKind = try await TestData.withEngine { engine in
                        let face = try XCTUnwrap(engine.detect(image, maxFaces: 1).first, "no face in \(set[index].file)")
                        return [EmbedderKind.sface: try engine.embed(image, face: face, with: .sface),
                                .dlib: try engine.embed(image, face: face, with: .dlib)]
                    }
                    return (index, byKind)
                }
            }
            return try await group.reduce(into: [Int: [EmbedderKind: Embedding]]()) { $0[$1.0] = $1.1 }
        }
        let comparator = FaceComparator()
        var same: [Float] = [], different: [Float] = []
        for i in set.indices {
            for j in set.indices where j > i {
                let score = comparator.compare(mode: mode) { kind in (embeddings[i]![kind]!, embeddings[j]![kind]!) }.score
                if set[i].identity == set[j].identity { same.append(score) } else { different.append(score) }
            }
        }
        XCTAssertFalse(same.isEmpty)
        XCTAssertFalse(different.isEmpty)
        let ordered = same.reduce(0.0) { total, s in total + different.reduce(0.0) { $0 + (s > $1 ? 1 : s == $1 ? 0.5 : 0) } }
        let auc = ordered / Double(same.count * different.count)
        let meanSame = same.reduce(0, +) / Float(same.count), meanDifferent = different.reduce(0, +) / Float(different.count)
        print(String(format: "%@ (%@): %d same-person pairs min %.1f mean %.1f; %d different-person pairs max %.1f mean %.1f; AUC %.4f",
                     name, mode.rawValue, same.count, same.min()!, meanSame, different.count, different.max()!, meanDifferent, auc))
        XCTAssertGreaterThanOrEqual(auc, minimumAUC, "\(name) \(mode): same-person pairs outrank different-person pairs")
        XCTAssertGreaterThan(meanSame, meanDifferent + 30, "\(name) \(mode)")
        return (same, different, auc)
    }

    func testSamePersonScoresAboveDifferentPeopleOnFaceRecognitionExamples() async throws {
        let set = try Self.faceRecognitionExamples()
        XCTAssertGreaterThanOrEqual(set.count, 15)
        let (same, different, _) = try await checkSeparation(set, name: "face_recognition_examples", mode: .fused, minimumAUC: 1)
        XCTAssertGreaterThan(same.min()!, different.max()!, "every same-person pair above every different-person pair")
        // With the calibrated scale, strangers stay below the FAR 1e-4 threshold and the
        // same people above it.
        XCTAssertLessThan(different.max()!, 70)
        XCTAssertGreaterThan(same.min()!, 70)
    }

    func testSamePersonScoresAboveDifferentPeopleOnFaceAPIExamples() async throws {
        let set = try Self.faceAPIExamples()
        XCTAssertEqual(set.count, 40)
        // Tight 150 px crops of TV stills: harder than the portraits above, so a few pairs of
        // look-alikes overlap; the fusion must order them at least as well as either engine.
        var aucs: [CompareMode: Double] = [:]
        for mode in [CompareMode.sface, .dlib] {
            aucs[mode] = try await checkSeparation(set, name: "face_api_js", mode: mode, minimumAUC: 0.99).auc
        }
        let fused = try await checkSeparation(set, name: "face_api_js", mode: .both, minimumAUC: 0.99)
        aucs[.both] = fused.auc
        XCTAssertGreaterThan(fused.same.min()!, fused.different.max()!, "fused: every same-person pair above every different-person pair")
        XCTAssertGreaterThanOrEqual(aucs[.both]! + 0.002, max(aucs[.sface]!, aucs[.dlib]!))
    }

    func testTheCascadeOnlyAsksDlibNearTheDecision() async throws {
        let obama = try TestData.image("faces/face_recognition_examples/examples/obama.jpg")
        let obama2 = try TestData.image("faces/face_recognition_examples/examples/obama2.jpg")
        let biden = try TestData.image("faces/face_recognition_examples/examples/biden.jpg")
        let same = try await service.compare(obama, obama2, mode: .both).comparison
        let different = try await service.compare(obama, biden, mode: .both).comparison
        XCTAssertEqual(same.enginesUsed, [.sface, .dlib])
        XCTAssertGreaterThan(same.score, 70)
        XCTAssertLessThan(different.score, 50)
        let band = FaceComparator().calibration.fusionBand
        let cascaded = try await service.compare(obama, biden, mode: .fused).comparison
        XCTAssertEqual(cascaded.enginesUsed.contains(.dlib), band.contains(cascaded.engineScores[.sface]!))
    }

    func testNoFaceIsCode1004() async throws {
        let face = try TestData.image("faces/face_recognition_examples/examples/obama.jpg")
        let cat = try TestData.image("no_face/scikit_image_data/chelsea.png")
        do {
            _ = try await service.compare(face, cat)
            XCTFail("a cat is not a face")
        } catch let error as ServiceError {
            XCTAssertEqual(error.code, .noFace)
        }
    }

    func testEmbeddingsAreUnitLengthAndDeterministic() async throws {
        let image = try TestData.image("faces/face_recognition_examples/examples/biden.jpg")
        let (a, b, c) = try await TestData.withEngine { engine in
            let face = try engine.detect(image, maxFaces: 1)[0]
            return (try engine.embed(image, face: face, with: .sface), try engine.embed(image, face: face, with: .sface),
                    try engine.embed(image, face: face, with: .dlib))
        }
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.vector.count, 128)
        XCTAssertEqual(c.vector.count, 128)
        XCTAssertEqual(a.vector.reduce(0) { $0 + $1 * $1 }, 1, accuracy: 1e-4)
        XCTAssertEqual(c.vector.reduce(0) { $0 + $1 * $1 }, 1, accuracy: 1e-4)
    }
}
