import FaceServices
import Foundation
import Liveness
import TestSupport
import XCTest

/// The analysis as a live session runs it: the face tracked from frame to frame, the
/// detector on every third frame only.
final class AnalysisTrackingTests: XCTestCase {
    let clips = AnalysisClips.shared

    func testTrackedFramesReadTheSamePoseAndActionsWithAThirdOfTheDetections() async throws {
        let clip = "videos/liveportrait/driving_d12.mp4"
        let (tracked, detections) = try await clips.tracked(clip)
        let detected = try await clips.frames(clip)
        XCTAssertEqual(tracked.count, detected.count)
        XCTAssertLessThanOrEqual(detections, tracked.count / 3 + 3, "the detector skips two frames of three")
        XCTAssertGreaterThanOrEqual(detections, tracked.count / 3)

        var gaps: [Float] = []
        for (a, b) in zip(tracked, detected) {
            XCTAssertEqual(a.signals.faceCount, b.signals.faceCount, "frame \(a.frame)")
            let boxA = try XCTUnwrap(a.signals.box), boxB = try XCTUnwrap(b.signals.box)
            XCTAssertGreaterThan(boxA.iou(boxB), 0.7, "frame \(a.frame): the carried box stays on the face")
            gaps.append(abs(try XCTUnwrap(a.signals.yaw) - XCTUnwrap(b.signals.yaw)))
        }
        let sorted = gaps.sorted()
        print("d12 tracked vs detected yaw: median gap \(sorted[sorted.count / 2]), largest \(sorted.last ?? 0)")
        XCTAssertLessThan(sorted[sorted.count / 2], 2)
        // During a fast turn the region of the previous frame lags a little.
        XCTAssertLessThan(sorted.last ?? 0, 10)

        var sparse = ChallengeRules()
        sparse.embedEvery = 3
        let turn = Replay.run([.turnLeft], tracked, rules: sparse)
        XCTAssertTrue(turn.decision.passed, turn.decision.summary)
        let blink = Replay.run([.blink], tracked, rules: sparse)
        XCTAssertTrue(blink.decision.passed, blink.decision.summary)
    }

    func testMouthThenBlinkAndAnotherPersonWhenTracked() async throws {
        var sparse = ChallengeRules()
        sparse.embedEvery = 3
        let d18 = try await clips.tracked("videos/liveportrait/driving_d18.mp4").frames
        let pass = Replay.run([.openMouth, .blink], d18, rules: sparse)
        XCTAssertTrue(pass.decision.passed, pass.decision.summary)

        // Another person cut in after two seconds: the track is lost or the embedding differs.
        let first = d18.filter { $0.time < 2 }
        let second = try await clips.tracked("videos/liveportrait/driving_d10.mp4", until: 4).frames.map {
            AnalysedFrame(frame: $0.frame + 1000, time: $0.time + 2, signals: $0.signals)
        }
        let swapped = Replay.run([.nod, .shakeHead], first + second, rules: sparse)
        XCTAssertEqual(swapped.decision.code, 1301, swapped.decision.summary)
    }
}
