import FaceServices
@testable import Liveness
import XCTest

/// The colour-flash verdict on light samples shaped like a lit face (the browser test in
/// Tests/Integration/test_h5_colour_flash.py runs it on a real clip), and the page's
/// report read from a frame's JPEG comment.
final class ColourFlashCheckTests: XCTestCase {
    let flash = ColourFlash(steps: [.init(colour: .red, millis: 600), .init(colour: .cyan, millis: 550),
                                    .init(colour: .green, millis: 650), .init(colour: .magenta, millis: 500),
                                    .init(colour: .yellow, millis: 700), .init(colour: .blue, millis: 600)])
    let skin = SIMD3<Float>(170, 120, 95)
    let room = SIMD3<Float>(90, 95, 100)

    /// 12 frames a second from 0 to 8 s; the screen shows step k from `shown[k]`, and the
    /// face takes on `light(step)` with the camera's `delay`.
    func check(shownFrom start: Double, delay: Double, strength: Float, lit: (Int) -> ColourFlash.Colour?) -> ColourFlashCheck {
        var check = ColourFlashCheck(flash: flash)
        var times: [Double] = []
        var at = start
        for step in flash.steps {
            times.append(at)
            at += Double(step.millis) / 1000
        }
        check.report(times.enumerated().map { ($0.offset, $0.element) } + [(-1, at)])
        var jitter = SystemRandomNumberGenerator()
        for frame in 0..<96 {
            let time = Double(frame) / 12
            var face = skin + SIMD3(Float.random(in: -1...1, using: &jitter), Float.random(in: -1...1, using: &jitter), 0)
            if let step = times.lastIndex(where: { $0 + delay <= time }), time < at + delay, let colour = lit(step) {
                face += strength * colour.rgb
            }
            check.add(LightOnFace(face: face, background: room), at: time)
        }
        return check
    }

    func testLightThatFollowsTheScreenPasses() {
        for delay in [0.0, 0.15, 0.35] {
            let verdict = check(shownFrom: 2, delay: delay, strength: 25) { self.flash.steps[$0].colour }.verdict()
            XCTAssertTrue(verdict.passed, "delay \(delay): \(verdict.reason)")
            XCTAssertGreaterThan(verdict.correlation, 0.9)
        }
    }

    func testNoLightAnotherOrderOrAnotherTimeFails() {
        let unlit = check(shownFrom: 2, delay: 0.1, strength: 0) { _ in nil }.verdict()
        XCTAssertFalse(unlit.passed, unlit.reason)
        XCTAssertLessThan(unlit.amplitude, 0.006)

        let shifted = check(shownFrom: 2, delay: 0.1, strength: 25) { self.flash.steps[($0 + 2) % self.flash.steps.count].colour }.verdict()
        XCTAssertFalse(shifted.passed, shifted.reason)

        let late = check(shownFrom: 2, delay: 1.2, strength: 25) { self.flash.steps[$0].colour }.verdict()
        XCTAssertFalse(late.passed, late.reason)
    }

    func testAFlashNotReportedWholeIsNoPass() {
        var partial = ColourFlashCheck(flash: flash)
        partial.report([(0, 2.0), (1, 2.6), (-1, 3.2)])
        XCTAssertTrue(partial.isComplete(at: 4))
        XCTAssertFalse(partial.verdict().passed)
        XCTAssertFalse(ColourFlashCheck(flash: flash).isComplete(at: 100), "no end reported: not complete")
    }

    func testDrawnSequencesNeverRepeatAColour() {
        for _ in 0..<200 {
            let drawn = ColourFlash.draw()
            XCTAssertTrue((5...7).contains(drawn.steps.count))
            XCTAssertEqual(Set(drawn.steps.map(\.colour)).count, drawn.steps.count)
            XCTAssertTrue(drawn.steps.allSatisfy { (500...700).contains($0.millis) })
        }
    }

    /// The page's comment segment (colour.js `annotate`) after the start-of-image marker.
    func testTheReportIsReadFromTheFramesCommentSegment() {
        let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xDB, 0x00, 0x02, 0xFF, 0xD9])
        func annotated(_ text: String) -> Data {
            let payload = Data(text.utf8)
            let length = payload.count + 2
            return jpeg.prefix(2) + Data([0xFF, 0xFE, UInt8(length >> 8), UInt8(length & 0xFF)]) + payload + jpeg.dropFirst(2)
        }
        let report = FlashReport.read(annotated("vf-flash:[[0,1700000000123],[1,1700000000700],[-1,1700000001300]]"))
        XCTAssertEqual(report?.shown.map(\.step), [0, 1, -1])
        XCTAssertEqual(report?.shown.first?.millis, 1_700_000_000_123)
        XCTAssertNil(FlashReport.read(jpeg), "no report")
        XCTAssertNil(FlashReport.read(annotated("a comment of another tool")))
        XCTAssertNil(FlashReport.read(annotated("vf-flash:{\"not\":\"pairs\"}")))
        XCTAssertNil(FlashReport.read(annotated("vf-flash:[[99,1]]")), "a step out of range")
        XCTAssertNil(FlashReport.read(Data([0xFF, 0xD8, 0xFF, 0xFE, 0xFF, 0xFF, 0x00])), "a segment longer than the frame")
    }
}
