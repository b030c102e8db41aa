import Foundation
import Platform
import XCTVapor

/// Signed JSON calls to the /v1 API of an in-memory test server.
public struct APIClient: Sendable {
    public let server: TestPlatform
    public let credential: Credentials.Issued

    public init(server: TestPlatform, credential: Credentials.Issued) {
        self.server = server
        self.credential = credential
    }

    /// Each request gets its own timestamp so that equal bodies are not replays.
    nonisolated(unsafe) static var clock = Int(Date().timeIntervalSince1970) - 200

    public struct Reply {
        public var status: HTTPStatus
        public var object: [String: Any]
        public var text: String
        public var code: Int { ((object["Error"] as? [String: Any])?["Code"] as? Int) ?? 0 }
        public var result: [String: Any] { object["result"] as? [String: Any] ?? [:] }
    }

    public func call(_ method: HTTPMethod, _ path: String, _ body: [String: Any]? = nil) async throws -> Reply {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
        Self.clock += 1
        let parts = path.split(separator: "?", maxSplits: 1).map(String.init)
        let headers = TestSigner.headers(for: credential, path: parts[0], query: parts.count > 1 ? parts[1] : "", body: data,
                                         timestamp: Self.clock, action: "Gallery", method: method.rawValue)
        var reply = Reply(status: .ok, object: [:], text: "")
        try await server.app.test(method, path, headers: headers, body: ByteBuffer(data: data)) { res async throws in
            reply = Reply(status: res.status, object: (try? JSONSerialization.jsonObject(with: Data(buffer: res.body))) as? [String: Any] ?? [:],
                          text: res.body.string)
        }
        return reply
    }

    /// The job once it has stopped (done, cancelled or failed); fails the test after 60 s.
    public func finishedJob(_ jobID: String, file: StaticString = #filePath, line: UInt = #line) async throws -> [String: Any] {
        for _ in 0..<600 {
            let job = try await call(.GET, "/v1/jobs/\(jobID)").result
            if let state = job["state"] as? String, !["queued", "running"].contains(state) { return job }
            try await Task.sleep(for: .milliseconds(100))
        }
        XCTFail("job \(jobID) did not finish", file: file, line: line)
        return [:]
    }

    public static func image(_ relative: String) throws -> String { try TestData.bytes(relative).base64EncodedString() }
}
