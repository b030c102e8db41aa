import FaceServices
import Foundation
import Liveness
import TestSupport
import XCTest

/// The challenge tracker on real clips replayed at 12 frames per second.
final class AnalysisChallengeTests: XCTestCase {
    let clips = AnalysisClips.shared

    func testMouthThenBlinkIsRecognisedInDriving18() async throws {
        let frames = try await clips.frames("videos/liveportrait/driving_d18.mp4")
        let replay = Replay.run([.openMouth, .blink], frames)
        print("d18 [open_mouth, blink]:", replay.decision.summary)
        XCTAssertTrue(replay.decision.passed, replay.decision.summary)
        XCTAssertEqual(replay.decision.code, 0)
        XCTAssertEqual(replay.decision.done.map(\.action), [.openMouth, .blink])
        XCTAssertGreaterThanOrEqual(replay.decision.livenessScore, 70)
        // Decided right after the blink (at 3.2-3.4 s), not at the end of the clip.
        XCTAssertLessThan(try XCTUnwrap(replay.decision.done.last?.completedAt), 4)
        XCTAssertEqual(replay.updates.last?.current, 2)
        let best = try XCTUnwrap(replay.decision.bestFrame)
        XCTAssertTrue(frames.contains { $0.frame == best })
    }

    /// Blinks are read from the iris model's eyelid contours (no dlib 68-point model): a
    /// man's behind glasses (d12, about 2 s), a woman's filmed at 1280x720 (source_s18,
    /// 5.4 s) and a talker's (d10, 7.4 s) are each seen; four seconds of talking make none.
    func testBlinksAreSeenFromTheEyelidsBehindGlassesAndInOtherClips() async throws {
        for (clip, until) in [("driving_d12", 6.0), ("source_s18", 8.0), ("driving_d10", 8.0)] {
            let frames = try await clips.frames("videos/liveportrait/\(clip).mp4", until: until)
            var patient = ChallengeRules()
            patient.actionTimeLimit = until
            let replay = Replay.run([.blink], frames, rules: patient)
            print("\(clip) [blink]:", replay.decision.summary)
            XCTAssertTrue(replay.decision.passed, "\(clip): \(replay.decision.summary)")
        }
        // d10 talks for its first four seconds without blinking.
        let talking = try await clips.frames("videos/liveportrait/driving_d10.mp4", until: 4)
        let replay = Replay.run([.blink], talking)
        XCTAssertEqual(replay.decision.code, 1207, replay.decision.summary)
    }

    func testTurnLeftThenOpenMouthInDriving3() async throws {
        let frames = try await clips.frames("videos/liveportrait/driving_d3.mp4")
        let replay = Replay.run([.turnLeft, .openMouth], frames)
        print("d3 [turn_left, open_mouth]:", replay.decision.summary)
        XCTAssertTrue(replay.decision.passed, replay.decision.summary)
        XCTAssertEqual(replay.decision.done.map(\.action), [.turnLeft, .openMouth])
    }

    func testTurnsHaveTheUsersOwnLeftAndRightAndAShakeIsBoth() async throws {
        let frames = try await clips.frames("videos/liveportrait/driving_d3.mp4")
        // d3 turns to her left at 4.9-5.5 s and to her right at 6.9-7.5 s.
        let left = Replay.run([.turnLeft], frames)
        print("d3 [turn_left]:", left.decision.summary)
        XCTAssertTrue(left.decision.passed, left.decision.summary)
        XCTAssertEqual(try XCTUnwrap(left.decision.done.first?.completedAt), 5.2, accuracy: 0.6)
        let right = Replay.run([.turnRight], frames)
        print("d3 [turn_right]:", right.decision.summary)
        XCTAssertTrue(right.decision.passed, right.decision.summary)
        XCTAssertEqual(try XCTUnwrap(right.decision.done.first?.completedAt), 7.1, accuracy: 0.6)
        let shake = Replay.run([.shakeHead], frames)
        print("d3 [shake_head]:", shake.decision.summary)
        XCTAssertTrue(shake.decision.passed, shake.decision.summary)

        let large = try await clips.frames("videos/liveportrait/driving_d12.mp4")
        let d12 = Replay.run([.turnLeft], large)
        print("d12 [turn_left]:", d12.decision.summary)
        XCTAssertTrue(d12.decision.passed, d12.decision.summary)
    }

    func testWideMouthOpeningInDriving10() async throws {
        let frames = try await clips.frames("videos/liveportrait/driving_d10.mp4", until: 4)
        let replay = Replay.run([.openMouth], frames)
        print("d10 [open_mouth]:", replay.decision.summary)
        XCTAssertTrue(replay.decision.passed, replay.decision.summary)
    }

    func testActionsInTheWrongOrderBetrayARecording() async throws {
        // d18 opens its mouth wide (2.2 s) before it blinks (3.2 s).
        let d18 = try await clips.frames("videos/liveportrait/driving_d18.mp4")
        let blinkFirst = Replay.run([.blink, .openMouth], d18)
        print("d18 [blink, open_mouth]:", blinkFirst.decision.summary)
        XCTAssertFalse(blinkFirst.decision.passed)
        XCTAssertEqual(blinkFirst.decision.code, 1301, blinkFirst.decision.summary)
        XCTAssertLessThan(blinkFirst.updates.count, d18.count, "decided as soon as the mouth opened")
        // d3 turns to her left (8.3-9.3 s) before she opens her mouth (10.1 s).
        let d3 = try await clips.frames("videos/liveportrait/driving_d3.mp4")
        var patient = ChallengeRules()
        patient.actionTimeLimit = 12
        let mouthFirst = Replay.run([.openMouth, .turnLeft], d3, rules: patient)
        print("d3 [open_mouth, turn_left]:", mouthFirst.decision.summary)
        XCTAssertEqual(mouthFirst.decision.code, 1301, mouthFirst.decision.summary)
    }

    func testAStillPhotoNeverPasses() async throws {
        let photo = try await clips.still("faces/face_recognition_examples/examples/obama.jpg")
        let frames = Replay.repeated(photo, seconds: 10)
        for (action, code) in [(LivenessAction.blink, 1207), (.openMouth, 1209), (.turnLeft, 1208), (.nod, 1208), (.shakeHead, 1208)] {
            let replay = Replay.run([action], frames)
            XCTAssertFalse(replay.decision.passed, "\(action)")
            XCTAssertEqual(replay.decision.code, code, "\(action): \(replay.decision.summary)")
            XCTAssertTrue(replay.decision.done.isEmpty)
            XCTAssertLessThan(replay.decision.livenessScore, 50)
        }
    }

    /// A missed action is blamed on the condition that prevailed while it was due: a dark
    /// room (1201), a face far away (1205), off to one side of the image (1204/1206) or
    /// covered (1210), and a later action simply missed is 1005.
    func testAMissedActionNamesThePrevailingCondition() async throws {
        let photo = try await clips.still("faces/face_recognition_examples/examples/obama.jpg")
        let box = try XCTUnwrap(photo.box)
        func replay(_ change: (inout FrameSignals) -> Void) -> Int {
            var signals = photo
            change(&signals)
            return Replay.run([.turnLeft], Replay.repeated(signals, seconds: 10)).decision.code
        }
        XCTAssertEqual(replay { $0.brightness = 10 }, 1201)
        XCTAssertEqual(replay { $0.brightness = 250 }, 1202)
        let small = Box(x: box.x + box.width * 0.4, y: box.y + box.height * 0.4, width: box.width * 0.2, height: box.height * 0.2)
        XCTAssertEqual(replay { $0.box = small; $0.boxes = [small] }, 1205)
        // Faces big enough (a third of the image's shorter side), centred 0.3 of the width aside.
        let width = Float(photo.imageWidth), side = Float(min(photo.imageWidth, photo.imageHeight)) / 3
        let right = Box(x: width * 0.8 - side / 2, y: box.y, width: side, height: side)
        XCTAssertEqual(replay { $0.box = right; $0.boxes = [right] }, 1204)
        let left = Box(x: width * 0.2 - side / 2, y: box.y, width: side, height: side)
        XCTAssertEqual(replay { $0.box = left; $0.boxes = [left] }, 1206)
        XCTAssertEqual(replay { $0.meshPresence = 0.1 }, 1210)

        // d3 turns to her left at 5 s, and never to her right after it within the window.
        let d3 = try await clips.frames("videos/liveportrait/driving_d3.mp4", until: 7)
        let second = Replay.run([.turnLeft, .nod], d3)
        XCTAssertEqual(second.decision.code, 1005, second.decision.summary)
    }

    func testAnotherPersonTakingOverGives1301WithFaceChangedHints() async throws {
        let first = try await clips.frames("videos/liveportrait/driving_d18.mp4").filter { $0.time < 2 }
        XCTAssertGreaterThan(first.count, 20)
        let second = try await clips.frames("videos/liveportrait/driving_d10.mp4", until: 4).map {
            AnalysedFrame(frame: $0.frame + 1000, time: $0.time + 2, signals: $0.signals)
        }
        let replay = Replay.run([.nod, .shakeHead], first + second)
        print("d18 then d10 [nod, shake_head]:", replay.decision.summary)
        XCTAssertEqual(replay.decision.code, 1301, replay.decision.summary)
        XCTAssertTrue(replay.hints.suffix(3).allSatisfy { $0.contains(.faceChanged) })
        XCTAssertFalse(replay.hints.prefix(first.count).contains { $0.contains(.faceChanged) })
        XCTAssertLessThan(replay.updates.count, first.count + 12, "decided within a second of the switch")

        // The cheaper schedule (embedding on every 3rd frame) still catches it within a second.
        var sparse = ChallengeRules()
        sparse.embedEvery = 3
        let scheduled = Replay.run([.nod, .shakeHead], first + second, rules: sparse)
        XCTAssertEqual(scheduled.decision.code, 1301, scheduled.decision.summary)
        XCTAssertLessThan(scheduled.updates.count, first.count + 12)
        let sameUser = Replay.run([.openMouth, .blink], try await clips.frames("videos/liveportrait/driving_d18.mp4"), rules: sparse)
        XCTAssertTrue(sameUser.decision.passed, sameUser.decision.summary)
    }

    func testNoFaceGives1004() async throws {
        var frames: [AnalysedFrame] = []
        for file in try TestData.files(in: "no_face/scikit_image_data").prefix(4) {
            let signals = try await clips.still(file)
            XCTAssertEqual(signals.faceCount, 0, file)
            frames += Replay.repeated(signals, seconds: 2.5, from: Double(frames.count) / AnalysisClips.rate, firstFrame: frames.count)
        }
        let replay = Replay.run([.blink], frames)
        XCTAssertEqual(replay.decision.code, 1004, replay.decision.summary)
        XCTAssertTrue(replay.hints.allSatisfy { $0.first == .noFace })
        // A user who leaves after 3 s: the same answer from finish.
        let tracker = ChallengeTracker(challenge: Challenge(actions: [.turnLeft]))
        for frame in frames.prefix(36) { _ = tracker.observe(frame.signals, frame: frame.frame, at: frame.time) }
        XCTAssertEqual(tracker.finish(at: 3).code, 1004)
    }

    func testSeveralFacesPersistingGive2012() async throws {
        let group = try await clips.still("faces/face_recognition_examples/examples/two_people.jpg")
        XCTAssertEqual(group.faceCount, 2)
        let replay = Replay.run([.blink], Replay.repeated(group, seconds: 5))
        XCTAssertEqual(replay.decision.code, 2012, replay.decision.summary)
        XCTAssertTrue(replay.hints.allSatisfy { $0.contains(.severalFaces) })
    }

    func testObamaTurnsToHisOwnLeftOnce() async throws {
        // obama.mp4 talks facing 22 degrees to his right, then at 1.5 s turns to his left.
        let frames = try await clips.frames("videos/obama.mp4")
        XCTAssertTrue(frames.allSatisfy { $0.signals.faceCount == 1 })
        let left = Replay.run([.turnLeft], frames)
        print("obama [turn_left]:", left.decision.summary)
        XCTAssertTrue(left.decision.passed, left.decision.summary)
        let right = Replay.run([.turnRight], frames)
        print("obama [turn_right]:", right.decision.summary)
        XCTAssertEqual(right.decision.code, 1208, "the first action, missed: \(right.decision.summary)")
        XCTAssertTrue(right.decision.done.isEmpty)
        let wrongOrder = Replay.run([.turnRight, .turnLeft], frames)
        XCTAssertEqual(wrongOrder.decision.code, 1301, wrongOrder.decision.summary)
    }
}
