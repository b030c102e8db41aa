import Crypto
import Foundation
import Liveness
import Platform
import TestSupport
import XCTVapor

/// StartVerification, GetVerificationResult, the page's session and the frame WebSocket's
/// refusals, with a scripted client and a real loopback server.
final class VerificationAPITests: XCTestCase {
    static let examples = "faces/face_recognition_examples/examples/"

    func page(_ server: TestPlatform, _ token: String) async throws -> (status: HTTPStatus, object: [String: Any]) {
        var answer: (HTTPStatus, [String: Any]) = (.ok, [:])
        try await server.app.test(.GET, "/h5/api/session?token=\(token)") { res async in
            answer = (res.status, (try? JSONSerialization.jsonObject(with: Data(buffer: res.body))) as? [String: Any] ?? [:])
        }
        return answer
    }

    func errorCode(_ object: [String: Any]) -> Int? { (object["Error"] as? [String: Any])?["Code"] as? Int }

    func testStartResultAndPageSession() async throws {
        try await TestPlatform.withServer { server in
            let client = APIClient(server: server, credential: try await server.application().1)
            _ = try await client.call(.POST, "/v1/scenes", ["sceneId": "pay", "name": "Pay", "actionPool": ["blink", "open_mouth", "nod"], "actionCount": 2])
            _ = try await client.call(.POST, "/v1/scenes", ["sceneId": "kyc", "name": "KYC", "compareSource": "photo"])

            var reply = try await client.call(.POST, "/v1/verifications", ["sceneId": "pay", "externalUserId": "u-1", "extra": "order 42",
                                                                          "redirectUrl": "https://shop.example/done?x=1"])
            XCTAssertEqual(reply.status, .ok, reply.text)
            let token = try XCTUnwrap(reply.result["bizToken"] as? String)
            XCTAssertTrue((reply.result["url"] as? String ?? "").hasSuffix("/h5/verify?token=\(token)"), reply.text)
            let actions = reply.result["actions"] as? [String] ?? []
            XCTAssertEqual(actions.count, 2)
            XCTAssertEqual(Set(actions).count, 2)
            XCTAssertTrue(Set(actions).isSubset(of: ["blink", "open_mouth", "nod"]))

            // Before the user comes: waiting, no code; another application cannot read it.
            reply = try await client.call(.POST, "/v1/verifications/result", ["bizToken": token])
            XCTAssertEqual(reply.result["state"] as? String, "created", reply.text)
            XCTAssertEqual(reply.result["extra"] as? String, "order 42")
            let outsider = APIClient(server: server, credential: try await server.application(in: try await server.newOrganisation()).1)
            try await assertEqual(try await outsider.call(.POST, "/v1/verifications/result", ["bizToken": token]).code, 4004)

            // The page's session: the same challenge, a P-256 key, the frame pace.
            let session = try await page(server, token)
            XCTAssertEqual(session.status, .ok, "\(session.object)")
            XCTAssertEqual(session.object["actions"] as? [String], actions)
            XCTAssertEqual(Data(base64Encoded: session.object["serverPublicKey"] as? String ?? "")?.count, 65)
            XCTAssertEqual(session.object["frameInterval"] as? Int, 83)
            let unknown = try await page(server, "0123456789abcdef0123456789abcdef")
            XCTAssertEqual(unknown.status, .notFound)

            // A reference photo is required by a photo scene, and must hold a face.
            try await assertEqual(try await client.call(.POST, "/v1/verifications", ["sceneId": "kyc"]).code, 4000)
            reply = try await client.call(.POST, "/v1/verifications", ["sceneId": "kyc", "image": try TestData.bytes("no_face/scikit_image_data/coffee.png").base64EncodedString()])
            XCTAssertEqual(reply.code, 1004, reply.text)
            reply = try await client.call(.POST, "/v1/verifications", ["sceneId": "kyc", "image": try APIClient.image(Self.examples + "obama.jpg")])
            XCTAssertEqual(reply.status, .ok, reply.text)
        }
    }

    func testTheSocketRefusesUnauthenticatedReplayedAndOutOfOrderFrames() async throws {
        try await TestPlatform.withServer { server in
            let port = try await server.listen()
            let client = APIClient(server: server, credential: try await server.application().1)
            _ = try await client.call(.POST, "/v1/scenes", ["sceneId": "s", "name": "S", "attemptLimit": 4])
            let started = try await client.call(.POST, "/v1/verifications", ["sceneId": "s"])
            let token = try XCTUnwrap(started.result["bizToken"] as? String, started.text)
            let group = server.app.eventLoopGroup
            let jpeg = try TestData.bytes(Self.examples + "obama.jpg")
            let now = UInt64(Date().timeIntervalSince1970 * 1000)

            // Without the page's session first: refused.
            var socket = try await SocketClient.connect(port: port, token: token, on: group)
            var error = try await socket.first("error")
            XCTAssertEqual(error?["code"] as? Int, 14, "\(socket.messages)")

            // Attempt 1: a frame before the key agreement.
            var session = try await page(server, token).object
            socket = try await SocketClient.connect(port: port, token: token, on: group)
            try await socket.send(binary: Data(repeating: 1, count: 64))
            error = try await socket.first("error")
            XCTAssertEqual(error?["code"] as? Int, 4100, "\(socket.messages)")
            _ = try await socket.first("result")

            // Attempt 2: frames sealed with a key that is not this session's (another session's page).
            session = try await page(server, token).object
            var stranger = session
            stranger["serverPublicKey"] = FrameKeyExchange().publicKeyRaw.base64EncodedString()
            let (hello, _) = try SocketClient.handshake(session)
            let (_, wrong) = try SocketClient.handshake(stranger)
            socket = try await SocketClient.connect(port: port, token: token, on: group)
            try await socket.send(json: hello)
            let ready = try await socket.first("ready")
            XCTAssertNotNil(ready, "\(socket.messages)")
            try await socket.send(binary: try wrong.seal(jpeg, counter: 1, captureMillis: now))
            error = try await socket.first("error")
            XCTAssertEqual(error?["code"] as? Int, 4102, "\(socket.messages)")
            _ = try await socket.first("result")

            // Attempt 3: a replayed frame.
            session = try await page(server, token).object
            let (hello3, cipher3) = try SocketClient.handshake(session)
            socket = try await SocketClient.connect(port: port, token: token, on: group)
            try await socket.send(json: hello3)
            _ = try await socket.first("ready")
            let frame = try cipher3.seal(jpeg, counter: 1, captureMillis: now)
            try await socket.send(binary: frame)
            try await socket.send(binary: frame)
            error = try await socket.first("error")
            XCTAssertEqual(error?["code"] as? Int, 4104, "\(socket.messages)")
            _ = try await socket.first("result")

            // Attempt 4: a frame captured long ago; then no attempt is left.
            session = try await page(server, token).object
            let (hello4, cipher4) = try SocketClient.handshake(session)
            socket = try await SocketClient.connect(port: port, token: token, on: group)
            try await socket.send(json: hello4)
            _ = try await socket.first("ready")
            try await socket.send(binary: try cipher4.seal(jpeg, counter: 1, captureMillis: now - 60_000))
            error = try await socket.first("error")
            XCTAssertEqual(error?["code"] as? Int, 4103, "\(socket.messages)")
            let result = try await socket.first("result")
            XCTAssertEqual(result?["passed"] as? Bool, false)
            XCTAssertEqual(result?["attemptsLeft"] as? Int, 0)

            let closed = try await page(server, token)
            XCTAssertEqual(errorCode(closed.object), 16, "\(closed.object)")
            let record = try await client.call(.POST, "/v1/verifications/result", ["bizToken": token])
            XCTAssertEqual(record.result["state"] as? String, "failed", record.text)
            XCTAssertEqual(record.result["attempts"] as? Int, 4)
            XCTAssertEqual(record.result["code"] as? Int, 4103)
            let refused = (record.result["timeline"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "refused" }
            XCTAssertEqual(refused.count, 3, record.text)
        }
    }
}
