import FaceServices
import Foundation
import TestSupport
import XCTest

final class QualityTests: XCTestCase {
    let service = TestData.service

    func quality(_ file: String) async throws -> FaceQuality {
        let faces = try await service.detect(try TestData.image(file), options: DetectOptions(maxFaces: 1, withQuality: true))
        return try XCTUnwrap(faces.first?.quality, file)
    }

    func testAGoodPortraitScoresHighAndATinyOneLower() async throws {
        let good = try await quality("faces/face_recognition_examples/examples/obama-1080p.jpg")
        let small = try await quality("faces/face_recognition_examples/examples/obama_small.jpg")
        print("quality: 1080p \(good), small \(small)")
        XCTAssertGreaterThan(good.overall, 70)
        XCTAssertLessThan(small.size, good.size)
        XCTAssertLessThan(small.overall, good.overall)
    }

    func testPartialFacesAreIncomplete() async throws {
        let partial = try await quality("faces/face_recognition_examples/tests/test_images/obama_partial_face2.jpg")
        print("quality: partial face \(partial)")
        XCTAssertLessThan(partial.completeness, 95)
    }

    func testQualityControlLevelsRejectWithTheSpecCodes() {
        let base = FaceQuality(overall: 80, sharpness: 80, brightness: 90, size: 90, pose: 90, completeness: 100,
                               meanLuminance: 120, estimatedYaw: 0, estimatedPitch: 0)
        for level in QualityControl.allCases { XCTAssertNil(level.rejection(of: base), "\(level)") }
        var dark = base
        dark.brightness = 20
        dark.meanLuminance = 40
        XCTAssertNil(QualityControl.low.rejection(of: dark))
        XCTAssertEqual(QualityControl.medium.rejection(of: dark), .tooDark)
        var cut = base
        cut.completeness = 85
        XCTAssertNil(QualityControl.medium.rejection(of: cut))
        XCTAssertEqual(QualityControl.high.rejection(of: cut), .incomplete)
        XCTAssertEqual(QualityControl(level: 0), QualityControl.none)
        XCTAssertEqual(QualityControl(level: 4), .high)
        XCTAssertNil(QualityControl(level: 7))
    }

    func testHighQualityControlRejectsATinyFaceWithACode() async throws {
        let image = try TestData.image("faces/face_recognition_examples/examples/obama-240p.jpg")
        let small = try image.resized(width: 160, height: 90)
        do {
            _ = try await service.detect(small, options: DetectOptions(maxFaces: 1, minFaceSize: 10, qualityControl: .high))
            XCTFail("a 30 px face passes high quality control")
        } catch let error as ServiceError {
            XCTAssertTrue([.tooFar, .noFace].contains(error.code), "\(error)")
        }
        let passes = try await service.detect(image, options: DetectOptions(maxFaces: 1, qualityControl: .none))
        XCTAssertEqual(passes.count, 1)
    }
}
