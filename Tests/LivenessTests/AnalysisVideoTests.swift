import FaceServices
import Foundation
import Liveness
import TestSupport
import XCTest

/// The video reader and the per-frame analysis on real clips and photos.
final class AnalysisVideoTests: XCTestCase {
    func testReaderDecodesEveryFrameWithTimestampsAndSamplesAtTwelvePerSecond() throws {
        let path = TestData.url("videos/liveportrait/driving_d18.mp4").path
        let reader = try VideoReader(path: path)
        XCTAssertEqual(reader.fps, 30, accuracy: 0.01)
        XCTAssertEqual(reader.width, 480)
        XCTAssertEqual(reader.height, 480)
        XCTAssertEqual(reader.frameCount, 216)
        var count = 0, last = -1.0
        while let frame = try reader.next() {
            XCTAssertEqual(frame.index, count)
            XCTAssertGreaterThan(frame.time, last)
            XCTAssertEqual(frame.image.width, 480)
            last = frame.time
            count += 1
        }
        XCTAssertEqual(count, 216)
        XCTAssertEqual(last, 215.0 / 30, accuracy: 0.02)

        let sampled = try VideoReader(path: path)
        var times: [Double] = []
        while let frame = try sampled.next(sampledAt: 12) { times.append(frame.time) }
        XCTAssertEqual(Double(times.count), 7.2 * 12, accuracy: 3)
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
        XCTAssertLessThanOrEqual(gaps.max() ?? 1, 0.1 + 1e-6, "never more than 3 source frames apart")

        XCTAssertThrowsError(try VideoReader(path: TestData.url("videos/missing.mp4").path))
    }

    func testAnalysisOfAFrontalPhotoAndOfAnImageWithoutFace() async throws {
        let face = try await AnalysisClips.shared.still("faces/face_recognition_examples/examples/obama.jpg")
        XCTAssertEqual(face.faceCount, 1)
        XCTAssertNotNil(face.box)
        XCTAssertLessThan(abs(try XCTUnwrap(face.yaw)), 20)
        XCTAssertGreaterThan(try XCTUnwrap(face.eyeOpenness), 0.15)
        let embedding = try XCTUnwrap(face.embedding)
        XCTAssertEqual(embedding.count, 128)
        XCTAssertEqual(embedding.reduce(0) { $0 + $1 * $1 }, 1, accuracy: 1e-3)
        XCTAssertGreaterThan(try XCTUnwrap(face.quality), 0.3)
        XCTAssertGreaterThan(face.brightness, 40)

        let none = try await AnalysisClips.shared.still(try TestData.files(in: "no_face/scikit_image_data")[0])
        XCTAssertEqual(none.faceCount, 0)
        XCTAssertNil(none.box)
        XCTAssertNil(none.embedding)
        XCTAssertGreaterThan(none.brightness, 0, "the whole image's light, for too_dark with no face")
    }

    /// The sign of yaw, checked on driving_d3: at 8.8 s the woman turns to her own left
    /// (the camera sees her right cheek, her nose points to the image's right), at 10.3 s to
    /// her right with her mouth open.
    func testYawIsPositiveWhenTheUserTurnsToTheirOwnLeft() async throws {
        let frames = try await AnalysisClips.shared.frames("videos/liveportrait/driving_d3.mp4")
        func yaw(near time: Double) throws -> Float {
            try XCTUnwrap(frames.min { abs($0.time - time) < abs($1.time - time) }?.signals.yaw)
        }
        XCTAssertGreaterThan(try yaw(near: 8.8), 18)
        XCTAssertLessThan(try yaw(near: 10.3), -10)
    }
}
