import Foundation
import Liveness
import TestSupport
import XCTVapor

/// Smart mode: the least demanding challenge the risk signals allow, chosen at start (the
/// user's failures) and again when the page asks for its session (the device's and the
/// verification's failures), each choice in the record's timeline.
final class SmartModeTests: XCTestCase {
    func testChoiceGrowsWithTheSignals() {
        XCTAssertEqual(SmartMode.choose(RiskSignals(), capture: .stream).mode, .silent)
        XCTAssertEqual(SmartMode.choose(RiskSignals(deviceFailures: 3), capture: .stream).mode, .action)
        XCTAssertEqual(SmartMode.choose(RiskSignals(userFailures: 1, verificationFailures: 1), capture: .stream).mode, .colourFlash)
        // A recording carries no display times: no colour flash.
        XCTAssertEqual(SmartMode.choose(RiskSignals(userFailures: 1, verificationFailures: 1), capture: .video).mode, .action)
        let reason = SmartMode.choose(RiskSignals(userFailures: 2), capture: .stream).reason
        XCTAssertTrue(reason.contains("2 failed attempt(s) of this user"), reason)
    }

    func testAFailureEscalatesTheNextAttemptsOfTheUserAndTheDevice() async throws {
        try await TestPlatform.withServer { server in
            let client = APIClient(server: server, credential: try await server.application().1)
            var reply = try await client.call(.POST, "/v1/scenes", ["sceneId": "smart", "name": "Smart", "mode": "smart", "capture": "video",
                                                                    "actionPool": ["open_mouth", "turn_left"], "actionCount": 2, "attemptLimit": 3])
            XCTAssertEqual(reply.status, .ok, reply.text)

            // No history: silent, at start and on the page.
            reply = try await client.call(.POST, "/v1/verifications", ["sceneId": "smart", "externalUserId": "u-1"])
            XCTAssertEqual(reply.result["mode"] as? String, "silent", reply.text)
            let token = try XCTUnwrap(reply.result["bizToken"] as? String)
            var page = try await h5Session(server, token)
            XCTAssertEqual(page["mode"] as? String, "silent")

            // One failed attempt (not a video): the retry sees it and this device's failure.
            let (key, envelope) = try await h5Sealed(server, token, Data("no video here".utf8))
            let failed = try await h5Upload(server, token, key: key, body: envelope)
            XCTAssertEqual(failed.code, 1101)
            page = try await h5Session(server, token)
            XCTAssertEqual(page["mode"] as? String, "action", "two signals, a recording: action")
            XCTAssertEqual((page["actions"] as? [String])?.count, 2)

            // The same user starts again: action from the start.
            reply = try await client.call(.POST, "/v1/verifications", ["sceneId": "smart", "externalUserId": "u-1"])
            XCTAssertEqual(reply.result["mode"] as? String, "action", reply.text)
            XCTAssertEqual((reply.result["actions"] as? [String])?.count, 2)

            // Another user: silent at start, action once the page shows the failed device.
            reply = try await client.call(.POST, "/v1/verifications", ["sceneId": "smart", "externalUserId": "u-2"])
            XCTAssertEqual(reply.result["mode"] as? String, "silent", reply.text)
            let other = try XCTUnwrap(reply.result["bizToken"] as? String)
            page = try await h5Session(server, other)
            XCTAssertEqual(page["mode"] as? String, "action")

            reply = try await client.call(.POST, "/v1/verifications/result", ["bizToken": other])
            let reasons = (reply.result["timeline"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "smart_mode" }.compactMap { $0["detail"] as? String }
            XCTAssertEqual(reasons.count, 2, "\(reasons)")
            XCTAssertTrue(reasons.first?.hasPrefix("smart: silent (no risk signal") ?? false, "\(reasons)")
            XCTAssertTrue(reasons.last?.contains("failed attempt(s) from this device") ?? false, "\(reasons)")
        }
    }
}
