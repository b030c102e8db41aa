import Foundation
@testable import Liveness
import TestSupport
import XCTVapor

/// Injected streams that hold the page's session keys (a virtual camera, a doctored page):
/// a camera labelled as a known virtual one, and a still picture sent frame after frame,
/// each end the attempt with 1301; a slow camera's repeated frames do not.
final class InjectionTests: XCTestCase {
    func testASlowCamerasRepeatsAreNotACopyButTwoSecondsOfOnePictureAre() {
        var slow = FrameRepetition()
        let a = fakeJPEG(size: 400), b = Data(fakeJPEG(size: 400).dropLast(2)) + Data([0x43, 0xFF, 0xD9])
        // A 6 fps camera grabbed 12 times a second: every frame twice, for ten seconds.
        for index in 0..<120 { XCTAssertFalse(slow.isCopy(index / 2 % 2 == 0 ? a : b)) }
        var still = FrameRepetition()
        let copies = (0..<FrameRepetition.limit).map { _ in still.isCopy(a) }
        XCTAssertEqual(copies.firstIndex(of: true), FrameRepetition.limit - 1)
        XCTAssertEqual(VirtualCameras.match("OBS Virtual Camera"), "obs virtual")
        XCTAssertEqual(VirtualCameras.match("ManyCam Virtual Webcam"), "manycam")
        XCTAssertNil(VirtualCameras.match("FaceTime HD Camera (Built-in)"))
        XCTAssertNil(VirtualCameras.match("fake_device_0"))
    }

    func session(_ server: TestPlatform, _ token: String) async throws -> [String: Any] {
        var object: [String: Any] = [:]
        try await server.app.test(.GET, "/h5/api/session?token=\(token)") { res async in
            object = (try? JSONSerialization.jsonObject(with: Data(buffer: res.body))) as? [String: Any] ?? [:]
        }
        return object
    }

    func testAVirtualCameraAndAStillPictureEndTheAttempt() async throws {
        try await TestPlatform.withServer { server in
            let port = try await server.listen()
            let client = APIClient(server: server, credential: try await server.application().1)
            _ = try await client.call(.POST, "/v1/scenes", ["sceneId": "s", "name": "S", "attemptLimit": 2])
            let started = try await client.call(.POST, "/v1/verifications", ["sceneId": "s"])
            let token = try XCTUnwrap(started.result["bizToken"] as? String, started.text)
            let group = server.app.eventLoopGroup

            // Attempt 1: the browser names the camera "OBS Virtual Camera".
            var (hello, cipher) = try SocketClient.handshake(try await session(server, token))
            hello["device"] = ["userAgent": "tests", "camera": "OBS Virtual Camera"]
            var socket = try await SocketClient.connect(port: port, token: token, on: group)
            try await socket.send(json: hello)
            var error = try await socket.first("error")
            XCTAssertEqual(error?["code"] as? Int, 1301, "\(socket.messages)")
            _ = try await socket.first("result")

            // Attempt 2: the same picture, sealed as new frames, two seconds long.
            (hello, cipher) = try SocketClient.handshake(try await session(server, token))
            socket = try await SocketClient.connect(port: port, token: token, on: group)
            try await socket.send(json: hello)
            _ = try await socket.first("ready")
            let jpeg = try TestData.bytes("faces/face_recognition_examples/examples/obama.jpg")
            let start = UInt64(Date().timeIntervalSince1970 * 1000)
            for counter in 1...UInt64(FrameRepetition.limit) {
                try await socket.send(binary: try cipher.seal(jpeg, counter: counter, captureMillis: start + counter * 83))
            }
            error = try await socket.first("error")
            XCTAssertEqual(error?["code"] as? Int, 1301, "\(socket.messages)")
            _ = try await socket.first("result")
            let record = try await client.call(.POST, "/v1/verifications/result", ["bizToken": token])
            XCTAssertEqual(record.result["state"] as? String, "failed", record.text)
            let refused = (record.result["timeline"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "refused" }
            XCTAssertEqual(refused.compactMap { $0["detail"] as? String }, ["virtual camera OBS Virtual Camera", "24 identical frames"], record.text)
        }
    }
}
