import FaceServices
import Foundation
import Liveness
import Platform
import TestSupport
import Vapor
import XCTVapor

/// Static liveness on photos the shipped model never saw (face_recognition_examples), and
/// on prints and screen replays made from them with the ffmpeg filters of the training
/// set's simulated attacks: each must score below its photo and below the threshold.
final class StaticLivenessTests: XCTestCase {
    static let photos = ["knn_examples/test/alex_lacamoire1", "knn_examples/train/alex_lacamoire/img1", "knn_examples/test/johnsnow_test1",
                         "knn_examples/test/kit_with_rose", "obama-480p", "knn_examples/test/obama1", "obama_small"]
        .map { "faces/face_recognition_examples/examples/\($0).jpg" }

    /// ffmpeg filters of a print (paper colours and grain) and of a phone screen filmed
    /// (gamma, saturation, the moiré of its grid), as `veriface eval static-liveness` makes them.
    static let attacks = [
        ("print", "hue=s=0.55,eq=contrast=0.8:brightness=0.04,noise=alls=14:allf=u"),
        ("screen", "eq=gamma=1.25:saturation=1.15,geq=lum='lum(X,Y)*(0.92+0.08*sin(0.8*X+0.35*Y))':cb='cb(X,Y)':cr='cr(X,Y)',gblur=sigma=0.6"),
    ]

    func testPrintsAndScreensScoreBelowTheirPhotosAndTheThreshold() async throws {
        let liveness = StaticLiveness(faces: TestData.service)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("static-liveness-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var photoScores: [Float] = []
        for photo in Self.photos {
            let original = try await liveness.judge(try TestData.image(photo))
            XCTAssertTrue((0...100).contains(original.score))
            photoScores.append(original.score)
            for (attack, filter) in Self.attacks {
                let out = folder.appendingPathComponent(URL(fileURLWithPath: photo).deletingPathExtension().lastPathComponent + "-\(attack).png")
                try ffmpeg(["-i", TestData.url(photo).path, "-vf", filter, out.path])
                let judged = try await liveness.judge(try DecodedImage(bytes: Data(contentsOf: out)))
                XCTAssertLessThan(judged.score, original.score, "\(photo) as a \(attack)")
                XCTAssertFalse(judged.isLive, "\(photo) as a \(attack) scored \(judged.score)")
                XCTAssertEqual(judged.face.face.box.x, original.face.face.box.x, accuracy: 0.1 * original.face.face.box.width, "the same face judged")
            }
        }
        // Most unseen live photos pass (README: BPCER is not zero).
        XCTAssertGreaterThanOrEqual(photoScores.filter { $0 >= StaticLivenessModel.shipped.threshold }.count, Self.photos.count / 2 + 1, "\(photoScores)")
    }

    func testShippedModelMatchesTheTexture() {
        let model = StaticLivenessModel.shipped
        XCTAssertEqual(model.detectors.map(\.end).max(), FaceTexture.count)
        XCTAssertEqual(model.detectors.map(\.name), StaticLivenessModel.parts.map(\.name))
        XCTAssertTrue(model.detectors.allSatisfy { $0.deviations.allSatisfy { $0 > 0 } })
        XCTAssertFalse(model.trainedOn.isEmpty)
    }

    // MARK: POST /v1/faces/liveness

    func testAPIJudgesTheLargestFace() async throws {
        try await TestPlatform.withServer { server in
            let credential = try await server.application().1
            let body = ["image": try TestData.bytes(Self.photos[5]).base64EncodedString()]
            try await server.app.signedTest(.POST, "v1/faces/liveness", credential: credential, beforeRequest: { try $0.content.encode(body, as: .json) }) { res async throws in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as? [String: Any])
                let score = try XCTUnwrap(json["score"] as? Double)
                XCTAssertEqual(json["threshold"] as? Double, Double(StaticLivenessModel.shipped.threshold))
                XCTAssertEqual(json["isLive"] as? Bool, score >= Double(StaticLivenessModel.shipped.threshold))
                XCTAssertNotNil((json["face"] as? [String: Any])?["box"])
                XCTAssertNotNil(json["RequestId"] as? String)
            }
        }
    }

    func testAPIRefusesBadInput() async throws {
        try await TestPlatform.withServer { server in
            let credential = try await server.application().1
            let noFace = "no_face/scikit_image_data/chelsea.png"
            let cases: [(String, [String: String], Int)] = [
                ("no face", ["image": try TestData.bytes(noFace).base64EncodedString()], 1004),
                ("not an image", ["image": Data("GIF89a but not really".utf8).base64EncodedString()], 2004),
                ("no image", [:], 4000),
            ]
            for (name, body, code) in cases {
                try await server.app.signedTest(.POST, "v1/faces/liveness", credential: credential, beforeRequest: { try $0.content.encode(body, as: .json) }) { res async throws in
                    let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as? [String: Any], name)
                    XCTAssertEqual((json["Error"] as? [String: Any])?["Code"] as? Int, code, "\(name): \(res.body.string)")
                }
            }
        }
    }
}
