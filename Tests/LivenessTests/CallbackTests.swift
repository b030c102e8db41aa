import Crypto
import Foundation
import Liveness
import TestSupport
import XCTVapor

/// The scene's callback reaches a real HTTP receiver on loopback, signed with the scene's
/// secret, and is retried when the receiver fails first.
final class CallbackTests: XCTestCase {
    /// A receiver that answers 500 to its first request and 200 afterwards.
    final class Receiver: @unchecked Sendable {
        let app: Application
        private let lock = NSLock()
        private var requests: [(headers: HTTPHeaders, body: Data)] = []
        var received: [(headers: HTTPHeaders, body: Data)] { lock.withLock { requests } }

        init() async throws {
            app = try await Application.make(.testing)
            app.post("hook") { [unowned self] request -> HTTPStatus in
                let body = request.body.data.map { Data(buffer: $0) } ?? Data()
                let count = self.lock.withLock { self.requests.append((request.headers, body)); return self.requests.count }
                return count == 1 ? .internalServerError : .ok
            }
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        }

        var port: Int { app.http.server.shared.localAddress?.port ?? 0 }
    }

    func testCallbackIsSignedAndRetriedAfterAFailure() async throws {
        let receiver = try await Receiver()
        defer { Task { await receiver.app.server.shutdown(); try? await receiver.app.asyncShutdown() } }
        let secret = "callback-secret-for-the-test-0123"
        try await (try await TestPlatform.make { $0.callbackRetryDelays = [0.3, 0.3] }).closing { server in
            let port = try await server.listen()
            let client = APIClient(server: server, credential: try await server.application().1)
            var reply = try await client.call(.POST, "/v1/scenes", ["sceneId": "cb", "name": "CB", "attemptLimit": 1,
                                                                    "callbackUrl": "http://127.0.0.1:\(receiver.port)/hook", "callbackSecret": secret])
            XCTAssertEqual(reply.status, .ok, reply.text)
            reply = try await client.call(.POST, "/v1/verifications", ["sceneId": "cb", "externalUserId": "u-7"])
            let token = try XCTUnwrap(reply.result["bizToken"] as? String, reply.text)
            let verificationID = try XCTUnwrap(reply.result["verificationId"] as? String)

            // An attempt that ends at once: a frame before the key agreement.
            try await server.app.test(.GET, "/h5/api/session?token=\(token)") { res async in XCTAssertEqual(res.status, .ok) }
            let socket = try await SocketClient.connect(port: port, token: token, on: server.app.eventLoopGroup)
            try await socket.send(binary: Data(repeating: 7, count: 32))
            let result = try await socket.first("result")
            XCTAssertNotNil(result, "\(socket.messages)")

            var record: [String: Any] = [:]
            for _ in 0..<100 {
                record = try await client.call(.POST, "/v1/verifications/result", ["bizToken": token]).result
                if (record["callback"] as? [String: Any])?["state"] as? String == "delivered" { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            let callback = record["callback"] as? [String: Any] ?? [:]
            XCTAssertEqual(callback["state"] as? String, "delivered", "\(record)")
            XCTAssertEqual(callback["attempts"] as? Int, 2, "one failure, then delivered")
            XCTAssertEqual(receiver.received.count, 2)

            for (headers, body) in receiver.received {
                let signature = try XCTUnwrap(headers.first(name: "X-Veriface-Signature"))
                let parts = Dictionary(uniqueKeysWithValues: signature.split(separator: ",").map { pair -> (String, String) in
                    let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
                    return (kv[0], kv.count > 1 ? kv[1] : "")
                })
                var signed = Data("\(parts["t"] ?? "").".utf8)
                signed.append(body)
                let expected = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data(secret.utf8)))
                XCTAssertEqual(parts["v1"], expected.map { String(format: "%02x", $0) }.joined(), "signature")
                XCTAssertLessThan(abs((Double(parts["t"] ?? "") ?? 0) - Date().timeIntervalSince1970), 60)
                let payload = try XCTUnwrap(try JSONSerialization.jsonObject(with: body) as? [String: Any])
                XCTAssertEqual(payload["verificationId"] as? String, verificationID)
                XCTAssertEqual(payload["passed"] as? Bool, false)
                XCTAssertEqual(payload["code"] as? Int, 4100)
                XCTAssertEqual(payload["externalUserId"] as? String, "u-7")
                XCTAssertNil(payload["bestFrame"], "images stay out of callbacks")
            }
        }
    }
}
