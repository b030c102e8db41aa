import FaceServices
import Foundation
import Liveness
import TestSupport
import XCTest

/// Silent mode's passive signal (`PassiveCheck`): the frames' static liveness must clear
/// its floor for a natural blink to count.
final class PassiveCheckTests: XCTestCase {
    func testMedianNeedsEnoughFramesAndDecidesAgainstTheFloor() {
        var check = PassiveCheck()
        check.add(5)
        check.add(90)
        XCTAssertNil(check.verdict(), "two frames are too few to judge")
        check.add(10)
        XCTAssertEqual(check.median, 10)
        XCTAssertEqual(check.verdict()?.passed, false)
        check.add(80)
        check.add(85)
        XCTAssertEqual(check.median, 80)
        XCTAssertEqual(check.verdict()?.passed, true)
    }

    /// driving_d18 blinks: as itself it passes silent mode; replayed on a simulated screen
    /// (same blink, a screen's gamma and moiré) the blink is still seen, and the passive
    /// check alone turns the pass into 1301. (d18 is among the people the shipped model was
    /// trained on; StaticLivenessTests judges photos it never saw.)
    func testSilentModeRejectsAScreenReplayThatBlinks() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("passive-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = TestData.url("videos/liveportrait/driving_d18.mp4")
        let original = folder.appendingPathComponent("d18.mp4"), replay = folder.appendingPathComponent("d18-replay.mp4")
        try ffmpeg(["-i", clip.path, "-t", "6", "-an", "-c:v", "libx264", "-crf", "18", "-pix_fmt", "yuv420p", original.path])
        try ffmpeg(["-i", clip.path, "-t", "6", "-vf", StaticLivenessTests.attacks[1].1,
                    "-an", "-c:v", "libx264", "-crf", "18", "-pix_fmt", "yuv420p", replay.path])
        let video = VideoLiveness(faces: TestData.service)
        let silent = Challenge(actions: [.blink])

        let live = try await video.analyse(Data(contentsOf: original), challenge: silent, passive: true, reference: nil, similarityThreshold: 70)
        XCTAssertTrue(live.passed, live.message)

        let blinkOnly = try await video.analyse(Data(contentsOf: replay), challenge: silent, passive: false, reference: nil, similarityThreshold: 70)
        XCTAssertTrue(blinkOnly.passed, "the replay's blink is seen: \(blinkOnly.message)")
        let judged = try await video.analyse(Data(contentsOf: replay), challenge: silent, passive: true, reference: nil, similarityThreshold: 70)
        XCTAssertFalse(judged.passed)
        XCTAssertEqual(judged.code, 1301)
        XCTAssertTrue(judged.message.contains("static liveness"), judged.message)
    }
}
