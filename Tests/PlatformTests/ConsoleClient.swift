import Foundation
import Platform
import TestSupport
import XCTVapor

/// Drives the console JSON API like the browser does: session cookie plus CSRF header.
struct ConsoleClient {
    let app: Application
    var cookie = ""
    var csrf = ""
    var user: [String: Any] = [:]

    init(app: Application) { self.app = app }

    /// Signs in and returns the HTTP status and error code (0 on success).
    @discardableResult
    mutating func login(_ username: String, _ password: String, method: String = "local") async throws -> (HTTPStatus, Int) {
        var result: (HTTPStatus, Int) = (.ok, 0)
        var cookie = "", csrf = ""
        var user: [String: Any] = [:]
        try await app.test(.POST, "console/api/login", beforeRequest: {
            try $0.content.encode(["username": username, "password": password, "method": method], as: .json)
        }) { res async throws in
            let json = (try? JSONSerialization.jsonObject(with: Data(buffer: res.body))) as? [String: Any] ?? [:]
            if res.status == .ok {
                cookie = res.headers.setCookie?[ConsoleSessions.cookieName]?.string ?? ""
                csrf = json["csrfToken"] as? String ?? ""
                user = json["user"] as? [String: Any] ?? [:]
            }
            result = (res.status, ((json["Error"] as? [String: Any])?["Code"] as? Int) ?? 0)
        }
        if result.0 == .ok { self.cookie = cookie; self.csrf = csrf; self.user = user }
        return result
    }

    struct Reply {
        var status: HTTPStatus
        var json: Any?
        var text: String
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        var items: [[String: Any]] { object["items"] as? [[String: Any]] ?? [] }
        var code: Int { ((object["Error"] as? [String: Any])?["Code"] as? Int) ?? 0 }
    }

    func call(_ method: HTTPMethod, _ path: String, json body: [String: Any]? = nil, raw: String? = nil, csrf: String? = nil) async throws -> Reply {
        var reply = Reply(status: .ok, json: nil, text: "")
        var headers: HTTPHeaders = ["Cookie": "\(ConsoleSessions.cookieName)=\(cookie)", "X-CSRF-Token": csrf ?? self.csrf]
        var buffer: ByteBuffer?
        if let body {
            headers.contentType = .json
            buffer = ByteBuffer(data: try JSONSerialization.data(withJSONObject: body))
        } else if let raw {
            headers.contentType = .json
            buffer = ByteBuffer(string: raw)
        }
        try await app.test(method, path, headers: headers, body: buffer) { res async throws in
            reply = Reply(status: res.status, json: try? JSONSerialization.jsonObject(with: Data(buffer: res.body), options: [.fragmentsAllowed]),
                          text: res.body.string)
        }
        return reply
    }

    var organisationID: String { user["organisationId"] as? String ?? "" }

    /// The first administrator has to replace the one-time password before anything else.
    static func administrator(_ server: TestPlatform, newPassword: String = "Admin-password-2026") async throws -> ConsoleClient {
        var client = ConsoleClient(app: server.app)
        let (status, _) = try await client.login(server.administrator.username, server.administrator.oneTimePassword)
        XCTAssertEqual(status, .ok)
        let change = try await client.call(.POST, "console/api/password", json: ["current": server.administrator.oneTimePassword, "new": newPassword])
        XCTAssertEqual(change.status, .noContent, change.text)
        return client
    }
}
