import Foundation
import Liveness
import XCTest

final class FrameCryptoGateTests: XCTestCase {
    private let now = Date(timeIntervalSince1970: 1_800_000_000)
    private var nowMillis: UInt64 { UInt64(now.timeIntervalSince1970 * 1000) }

    private func assertRefused(_ expected: FrameRefusal, _ gate: inout FrameGate, counter: UInt64, captureMillis: UInt64,
                               payload: Data = fakeJPEG(), file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try gate.admit(counter: counter, captureMillis: captureMillis, payload: payload, now: now),
                             file: file, line: line) {
            XCTAssertEqual($0 as? FrameRefusal, expected, file: file, line: line)
        }
    }

    func testAdmitsAnOrderlyStream() throws {
        var gate = FrameGate()
        for counter in UInt64(1)...20 {
            try gate.admit(counter: counter, captureMillis: nowMillis - 2000 + counter * 83, payload: fakeJPEG(), now: now)
        }
        // Gaps are fine (the page drops frames it cannot send in time) and so is an equal time.
        try gate.admit(counter: 25, captureMillis: nowMillis - 2000 + 20 * 83, payload: fakeJPEG(), now: now)
    }

    func testReplayAndReorderAreRefused() throws {
        var gate = FrameGate()
        assertRefused(.replayed, &gate, counter: 0, captureMillis: nowMillis)
        try gate.admit(counter: 1, captureMillis: nowMillis, payload: fakeJPEG(), now: now)
        try gate.admit(counter: 3, captureMillis: nowMillis + 10, payload: fakeJPEG(), now: now)
        assertRefused(.replayed, &gate, counter: 3, captureMillis: nowMillis + 20) // replayed
        assertRefused(.replayed, &gate, counter: 2, captureMillis: nowMillis + 20) // reordered
        assertRefused(.replayed, &gate, counter: 1, captureMillis: nowMillis + 20)
        try gate.admit(counter: 4, captureMillis: nowMillis + 20, payload: fakeJPEG(), now: now)
    }

    func testCaptureTimesTooOldTooFarAheadOrGoingBackAreStale() throws {
        var gate = FrameGate()
        assertRefused(.stale, &gate, counter: 1, captureMillis: nowMillis - 5001) // too old
        assertRefused(.stale, &gate, counter: 1, captureMillis: nowMillis + 5001) // too far ahead
        assertRefused(.stale, &gate, counter: 1, captureMillis: 0)
        try gate.admit(counter: 1, captureMillis: nowMillis - 5000, payload: fakeJPEG(), now: now) // at the edge
        try gate.admit(counter: 2, captureMillis: nowMillis + 1000, payload: fakeJPEG(), now: now)
        assertRefused(.stale, &gate, counter: 3, captureMillis: nowMillis + 999) // going backwards
        try gate.admit(counter: 3, captureMillis: nowMillis + 5000, payload: fakeJPEG(), now: now)

        var strict = FrameGate(maxSkew: 1)
        assertRefused(.stale, &strict, counter: 1, captureMillis: nowMillis - 1500)
    }

    func testARefusedFrameLeavesTheGateAsItWas() throws {
        var gate = FrameGate()
        try gate.admit(counter: 1, captureMillis: nowMillis, payload: fakeJPEG(), now: now)
        assertRefused(.badImage, &gate, counter: 9, captureMillis: nowMillis + 3000, payload: Data("GIF89a".utf8))
        // Neither watermark moved to 9 / +3000.
        try gate.admit(counter: 2, captureMillis: nowMillis + 100, payload: fakeJPEG(), now: now)
    }

    func testNonJPEGAndOversizedPayloadsAreBadImages() throws {
        var gate = FrameGate(maxFrameBytes: 10_000)
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data(repeating: 0, count: 100)
        let truncated = fakeJPEG().dropLast(2)
        for (name, payload) in [("empty", Data()), ("png", png), ("truncated jpeg", Data(truncated)),
                                ("soi only", Data([0xFF, 0xD8, 0xFF, 0xD9])), ("too big", fakeJPEG(size: 10_001))] {
            XCTAssertThrowsError(try gate.admit(counter: 1, captureMillis: nowMillis, payload: payload, now: now), name) {
                XCTAssertEqual($0 as? FrameRefusal, .badImage, name)
            }
        }
        try gate.admit(counter: 1, captureMillis: nowMillis, payload: fakeJPEG(size: 10_000), now: now)
        try gate.admit(counter: 2, captureMillis: nowMillis, payload: fakeJPEG() + Data(repeating: 0, count: 8), now: now)

        var standard = FrameGate()
        XCTAssertThrowsError(try standard.admit(counter: 1, captureMillis: nowMillis, payload: fakeJPEG(size: (1 << 20) + 1), now: now)) {
            XCTAssertEqual($0 as? FrameRefusal, .badImage)
        }
        try standard.admit(counter: 1, captureMillis: nowMillis, payload: fakeJPEG(size: 1 << 20), now: now)
    }
}
