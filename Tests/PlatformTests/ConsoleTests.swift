import Foundation
import Platform
import TestSupport
import XCTVapor

/// Console sign-in, sessions, CSRF, and hostile input.
final class ConsoleTests: XCTestCase {
    var server: TestPlatform!

    override func setUp() async throws { server = try await TestPlatform.make() }
    override func tearDown() async throws { try await server.shutdown() }

    func testSignInLockoutAndSessions() async throws {
        var client = ConsoleClient(app: server.app)
        try await assertEqual(try await client.call(.GET, "console/api/session").code, 4001)
        try await assertEqual(try await client.login("admin", "wrong-password").1, 4010)
        try await assertEqual(try await client.login("nobody", "wrong-password").1, 4010)

        var admin = ConsoleClient(app: server.app)
        try await assertEqual(try await admin.login("admin", server.administrator.oneTimePassword).0, .ok)
        XCTAssertEqual(admin.user["mustChangePassword"] as? Bool, true)
        try await assertEqual(try await admin.call(.POST, "console/api/password", json: ["current": server.administrator.oneTimePassword, "new": "short"]).code, 4000)
        try await assertEqual(try await admin.call(.POST, "console/api/password", json: ["current": server.administrator.oneTimePassword, "new": "A-long-enough-password"]).status, .noContent)
        try await assertEqual(try await admin.call(.GET, "console/api/session").object["user"].flatMap { ($0 as? [String: Any])?["mustChangePassword"] as? Bool }, false)

        // Five wrong passwords lock the account, even against the right one afterwards.
        let user = try await admin.call(.POST, "console/api/users", json: ["username": "teller", "displayName": "Teller", "password": "Teller-pass-01", "organisationId": admin.organisationID])
        XCTAssertEqual(user.status, .ok, user.text)
        var teller = ConsoleClient(app: server.app)
        var codes: [Int] = []
        for _ in 0..<5 { codes.append(try await teller.login("teller", "not-the-password").1) }
        XCTAssertEqual(codes, [4010, 4010, 4010, 4010, 4011])
        try await assertEqual(try await teller.login("teller", "Teller-pass-01").1, 4011)
        let locked = try await admin.call(.GET, "console/api/users?q=teller").items.first
        XCTAssertEqual(locked?["locked"] as? Bool, true)
        let unlock = try await admin.call(.PATCH, "console/api/users/\(locked?["id"] as? String ?? "")", json: ["unlock": true])
        XCTAssertEqual(unlock.status, .ok, unlock.text)
        try await assertEqual(try await teller.login("teller", "Teller-pass-01").0, .ok)

        // Sign-out ends the session on the server, not only in the browser.
        try await assertEqual(try await teller.call(.POST, "console/api/logout").status, .noContent)
        try await assertEqual(try await teller.call(.GET, "console/api/session").code, 4001)

        let audit = try await admin.call(.GET, "console/api/audit?size=100").items.compactMap { $0["action"] as? String }
        XCTAssertTrue(audit.contains("session.login_failed"))
        XCTAssertTrue(audit.contains("session.login"))
        XCTAssertTrue(audit.contains("user.create"))
        XCTAssertTrue(audit.contains("user.password_change"))
    }

    func testChangesNeedTheCSRFTokenAndPermissions() async throws {
        let admin = try await ConsoleClient.administrator(server)
        let body: [String: Any] = ["name": "Bank", "kind": "bank", "parentId": admin.organisationID]
        let noToken = try await admin.call(.POST, "console/api/organisations", json: body, csrf: "")
        XCTAssertEqual(noToken.status, .forbidden)
        XCTAssertEqual(noToken.code, 4003)
        try await assertEqual(try await admin.call(.POST, "console/api/organisations", json: body, csrf: "forged").code, 4003)
        try await assertEqual(try await admin.call(.POST, "console/api/organisations", json: body).status, .ok)

        // An Auditor reads but cannot change.
        let roles = try await admin.call(.GET, "console/api/roles").items
        let auditor = roles.first { $0["name"] as? String == "Auditor" }?["id"] as? String ?? ""
        _ = try await admin.call(.POST, "console/api/users", json: ["username": "auditor", "password": "Auditor-pass-1", "organisationId": admin.organisationID, "roleIds": [auditor]])
        var reader = ConsoleClient(app: server.app)
        try await assertEqual(try await reader.login("auditor", "Auditor-pass-1").0, .ok)
        try await assertEqual(try await reader.call(.GET, "console/api/audit").status, .ok)
        try await assertEqual(try await reader.call(.POST, "console/api/organisations", json: body).code, 4003)
        try await assertEqual(try await reader.call(.GET, "console/api/applications").code, 4003)
        // Nor can anyone grant a permission they lack.
        try await assertEqual(try await reader.call(.POST, "console/api/roles", json: ["name": "x", "organisationId": admin.organisationID, "permissions": ["app.write"]]).code, 4003)
    }

    /// The body limit applies on the network path only (the in-memory tester hands bodies over whole).
    func expectOversizedBodyRefusedOverHTTP(_ admin: ConsoleClient) async throws {
        try await server.app.server.start(address: .hostname("127.0.0.1", port: 0))
        let port = try XCTUnwrap(server.app.http.server.shared.localAddress?.port)
        let huge = "{\"name\": \"" + String(repeating: "x", count: 200_000) + "\", \"kind\": \"bank\", \"parentId\": \"\(admin.organisationID)\"}"
        let response = try await server.app.client.post(URI(string: "http://127.0.0.1:\(port)/console/api/organisations"), headers: [
            "Cookie": "\(ConsoleSessions.cookieName)=\(admin.cookie)", "X-CSRF-Token": admin.csrf, "Content-Type": "application/json",
        ]) { $0.body = ByteBuffer(string: huge) }
        await server.app.server.shutdown()
        XCTAssertEqual(response.status, .payloadTooLarge)
        let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body ?? ByteBuffer())) as? [String: Any]
        XCTAssertEqual((json?["Error"] as? [String: Any])?["Code"] as? Int, 4013)
    }

    func testHostileInputIsRefusedOrStoredInertly() async throws {
        let admin = try await ConsoleClient.administrator(server)
        // Malformed JSON, a wrong type, an oversized body.
        try await assertEqual(try await admin.call(.POST, "console/api/organisations", raw: "{\"name\": ").code, 4000)
        try await assertEqual(try await admin.call(.POST, "console/api/organisations", raw: "{\"name\": 5, \"kind\": []}").code, 4000)
        try await expectOversizedBodyRefusedOverHTTP(admin)
        try await assertEqual(try await admin.call(.POST, "console/api/organisations", json: ["name": String(repeating: "y", count: 500), "kind": "bank", "parentId": admin.organisationID]).code, 4000)
        try await assertEqual(try await admin.call(.POST, "console/api/organisations", json: ["name": "bad\u{0}name", "kind": "bank", "parentId": admin.organisationID]).code, 4000)
        try await assertEqual(try await admin.call(.POST, "console/api/organisations", json: ["name": "ok", "kind": "bank", "parentId": "not-a-uuid"]).code, 4000)

        // SQL-ish and script-ish text is stored and returned exactly as typed.
        let hostile = ["'; DROP TABLE organisations; --", "<script>alert(1)</script>", "\" OR \"1\"=\"1", "<img src=x onerror=alert(1)>", "村镇银行 %_\\"]
        for name in hostile {
            let created = try await admin.call(.POST, "console/api/organisations", json: ["name": name, "kind": "village", "parentId": admin.organisationID])
            XCTAssertEqual(created.status, .ok, created.text)
            XCTAssertEqual(created.object["name"] as? String, name)
            let user = try await admin.call(.POST, "console/api/users", json: ["username": "u\(name.hashValue & 0xffff)", "displayName": name, "password": "Hostile-pass-1", "organisationId": admin.organisationID])
            XCTAssertEqual(user.object["displayName"] as? String, name, user.text)
        }
        let names = try await admin.call(.GET, "console/api/organisations").items.compactMap { $0["name"] as? String }
        for name in hostile { XCTAssertTrue(names.contains(name), name) }
        // The other text fields: role and application names, user names, search, IP lists, sign-in.
        for (index, text) in hostile.enumerated() {
            let role = try await admin.call(.POST, "console/api/roles", json: ["name": text, "organisationId": admin.organisationID, "permissions": ["log.read"]])
            XCTAssertEqual(role.object["name"] as? String, text, role.text)
            let app = try await admin.call(.POST, "console/api/applications", json: ["name": text, "organisationId": admin.organisationID, "qpsLimit": 5, "ipAllowList": []])
            XCTAssertEqual((app.object["application"] as? [String: Any])?["name"] as? String, text, app.text)
            let user = try await admin.call(.POST, "console/api/users", json: ["username": text + "\(index)", "password": "Hostile-pass-1", "organisationId": admin.organisationID])
            XCTAssertEqual(user.object["username"] as? String, text + "\(index)", user.text)
            let search = try await admin.call(.GET, "console/api/audit?q=" + (text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            XCTAssertEqual(search.status, .ok, search.text)
            try await assertEqual(try await admin.call(.POST, "console/api/applications", json: ["name": "x", "organisationId": admin.organisationID, "qpsLimit": 5, "ipAllowList": [text]]).code, 4000)
            var stranger = ConsoleClient(app: server.app)
            try await assertEqual(try await stranger.login(text, text + "-password").1, 4010)
        }
        try await assertEqual(try await admin.call(.GET, "console/api/users").object["total"] as? Int, 1 + 2 * hostile.count)
        // A search with LIKE wildcards finds only the literal text: the two users with a "%" in a name.
        try await assertEqual(try await admin.call(.GET, "console/api/users?q=%25").object["total"] as? Int, 2)

        // The console page forbids inline scripts, so a stored script could not run anyway.
        try await server.app.test(.GET, "console/") { res async throws in
            XCTAssertEqual(res.status, .ok)
            XCTAssertTrue(res.headers.first(name: "Content-Security-Policy")?.contains("script-src 'self'") ?? false)
            XCTAssertEqual(res.headers.first(name: "X-Frame-Options"), "DENY")
        }
        try await server.app.test(.GET, "console/assets/../../Package.swift") { res async throws in XCTAssertEqual(res.status, .notFound) }
    }
}
