import FaceServices
import Foundation
import TestSupport
import XCTest

final class AnalysisTests: XCTestCase {
    let service = TestData.service

    func testMeshLandsOnTheFaceWithAFrontalPoseAndOpenEyes() async throws {
        let image = try TestData.image("faces/face_recognition_examples/examples/obama.jpg")
        let analysis = try await service.analyze(image, options: DetectOptions(maxFaces: 1), want68: true)
        let face = try XCTUnwrap(analysis.first)
        let mesh = try XCTUnwrap(face.mesh)
        XCTAssertEqual(mesh.points.count, 478)
        XCTAssertGreaterThan(mesh.presence, 0.5)
        let box = face.face.box
        let inside = mesh.points.filter {
            $0.x >= box.x - 0.2 * box.width && $0.x <= box.x + 1.2 * box.width &&
            $0.y >= box.y - 0.3 * box.height && $0.y <= box.y + 1.2 * box.height
        }
        XCTAssertEqual(inside.count, mesh.points.count)
        // Iris centres (468 and 473) sit between the corners of their eyes.
        for (iris, a, b) in [(468, 33, 133), (473, 362, 263)] {
            XCTAssertGreaterThan(mesh[iris].x, min(mesh[a].x, mesh[b].x))
            XCTAssertLessThan(mesh[iris].x, max(mesh[a].x, mesh[b].x))
        }
        let pose = try XCTUnwrap(face.pose)
        XCTAssertLessThan(abs(pose.yaw), 20, "\(pose)")
        XCTAssertLessThan(abs(pose.roll), 15, "\(pose)")
        let openness = try XCTUnwrap(face.openness)
        XCTAssertGreaterThan(openness.eyes, 0.15)
        XCTAssertEqual(face.landmarks68?.count, 68)
        // dlib's 68 points and the mesh agree on the nose tip (68-point index 30, mesh index 1).
        let nose68 = try XCTUnwrap(face.landmarks68)[30]
        XCTAssertLessThan(hypot(nose68.x - mesh[1].x, nose68.y - mesh[1].y), box.width * 0.12)
    }

    func testMouthOpennessSeparatesExpressions() async throws {
        // face-api.js expression photos: "surprised" has the mouth open, "neutral" closed.
        let surprised = try TestData.image("faces/face_api_js/examples/images/surprised.jpg")
        let neutral = try TestData.image("faces/face_api_js/examples/images/neutral.jpg")
        let open = try await service.analyze(surprised, options: DetectOptions(maxFaces: 1), want68: false)
        let closed = try await service.analyze(neutral, options: DetectOptions(maxFaces: 1), want68: false)
        let openMouth = try XCTUnwrap(open.first?.openness?.mouth)
        let closedMouth = try XCTUnwrap(closed.first?.openness?.mouth)
        print("mouth openness: surprised \(openMouth), neutral \(closedMouth)")
        XCTAssertGreaterThan(openMouth, closedMouth + 0.1)
    }

    func testAgeAndGenderOfKnownPeople() async throws {
        let cases: [(String, String, ClosedRange<Float>)] = [
            ("faces/face_recognition_examples/examples/obama.jpg", "male", 30...70),
            ("faces/face_recognition_examples/examples/biden.jpg", "male", 40...85),
            ("faces/scikit_image_faces/astronaut.png", "female", 20...65),
        ]
        for (file, gender, ages) in cases {
            let faces = try await service.detect(try TestData.image(file), options: DetectOptions(maxFaces: 1, withAttributes: true))
            let attributes = try XCTUnwrap(faces.first?.attributes, file)
            let age = try XCTUnwrap(attributes.age)
            let male = try XCTUnwrap(attributes.maleProbability)
            print("attributes \(file): age \(age), male \(male)")
            XCTAssertTrue(ages.contains(age), "\(file): age \(age)")
            XCTAssertEqual(male >= 0.5 ? "male" : "female", gender, file)
        }
        XCTAssertTrue(FaceAttributes.unavailable.contains("glasses"), "unestimated attributes are reported as unavailable")
    }
}
