import Foundation
import Liveness
import NIOCore
import Vapor

/// A scripted H5 client: connects to /h5/ws, sends what a test says and collects the
/// server's messages, with the same key agreement as the page (swift-crypto on this side).
final class SocketClient: @unchecked Sendable {
    private let lock = NSLock()
    private var received: [[String: Any]] = []
    private var socket: WebSocket?
    private(set) var closed = false

    static func connect(port: Int, token: String, on group: any EventLoopGroup) async throws -> SocketClient {
        let client = SocketClient()
        try await WebSocket.connect(scheme: "ws", host: "127.0.0.1", port: port, path: "/h5/ws", query: "token=\(token)", on: group) { socket in
            client.socket = socket
            socket.onText { _, text in
                let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? ["unparsed": text]
                client.lock.withLock { client.received.append(object) }
            }
            socket.onClose.whenComplete { _ in client.lock.withLock { client.closed = true } }
        }
        // The upgrade closure runs once connected; wait for it.
        for _ in 0..<100 where client.socket == nil { try await Task.sleep(for: .milliseconds(20)) }
        return client
    }

    var messages: [[String: Any]] { lock.withLock { received } }

    func send(json: [String: Any]) async throws {
        let data = try JSONSerialization.data(withJSONObject: json)
        try await socket?.send(String(decoding: data, as: UTF8.self))
    }

    func send(binary: Data) async throws {
        try await socket?.send(Array(binary))
    }

    /// The first message of `type`, waiting up to `seconds`.
    func first(_ type: String, within seconds: Double = 20) async throws -> [String: Any]? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let found = messages.first(where: { $0["type"] as? String == type }) { return found }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    func close() async { try? await socket?.close() }

    /// The page's half of the key agreement for `session` (GET /h5/api/session's answer).
    static func handshake(_ session: [String: Any]) throws -> (hello: [String: Any], cipher: FrameCipher) {
        let mine = FrameKeyExchange()
        let server = Data(base64Encoded: session["serverPublicKey"] as? String ?? "") ?? Data()
        let cipher = try mine.cipher(clientPublicKeyRaw: server, sessionId: session["sessionId"] as? String ?? "")
        return (["type": "hello", "clientPublicKey": mine.publicKeyRaw.base64EncodedString(), "device": ["userAgent": "tests"]], cipher)
    }
}
