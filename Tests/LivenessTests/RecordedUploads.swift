import Foundation
import Liveness
import TestSupport
import XCTVapor

/// What the H5 page's recorded-video path answers: the status and the JSON body.
struct RecordedAnswer {
    var status: HTTPStatus
    var object: [String: Any]
    var code: Int? { object["code"] as? Int ?? (object["Error"] as? [String: Any])?["Code"] as? Int }
}

/// A scripted H5 page for the recorded-video path (docs/h5-protocol.md section 5).
extension XCTestCase {
    func h5Session(_ server: TestPlatform, _ token: String) async throws -> [String: Any] {
        var object: [String: Any] = [:]
        // The same browser as the upload's (a device is its address and its browser).
        try await server.app.test(.GET, "/h5/api/session?token=\(token)", headers: ["User-Agent": "tests"]) { res async in
            object = (try? JSONSerialization.jsonObject(with: Data(buffer: res.body))) as? [String: Any] ?? [:]
        }
        return object
    }

    func h5Upload(_ server: TestPlatform, _ token: String, key: Data?, body: Data) async throws -> RecordedAnswer {
        var answer = RecordedAnswer(status: .ok, object: [:])
        var headers: HTTPHeaders = ["Content-Type": "application/octet-stream", "User-Agent": "tests"]
        if let key { headers.add(name: "X-Client-Key", value: key.base64EncodedString()) }
        try await server.app.test(.POST, "/h5/api/video?token=\(token)", headers: headers, body: ByteBuffer(data: body)) { res async in
            answer = RecordedAnswer(status: res.status, object: (try? JSONSerialization.jsonObject(with: Data(buffer: res.body))) as? [String: Any] ?? [:])
        }
        return answer
    }

    /// A fresh page session and the sealed upload of `video` for it.
    func h5Sealed(_ server: TestPlatform, _ token: String, _ video: Data, counter: UInt64 = 1,
                  stranger: Bool = false) async throws -> (key: Data, envelope: Data) {
        var page = try await h5Session(server, token)
        if stranger { page["serverPublicKey"] = FrameKeyExchange().publicKeyRaw.base64EncodedString() }
        let (hello, cipher) = try SocketClient.handshake(page)
        let key = try XCTUnwrap(Data(base64Encoded: hello["clientPublicKey"] as? String ?? ""))
        let envelope = try cipher.seal(video, counter: counter, captureMillis: UInt64(Date().timeIntervalSince1970 * 1000))
        return (key, envelope)
    }
}
