import Foundation
import Platform
import TestSupport
import XCTVapor

/// A village bank's people see their own branch only; the provincial union sees everything.
final class IsolationTests: XCTestCase {
    struct Tree {
        var admin: ConsoleClient
        var bankA: String, villageA1: String, villageA2: String
        var userA2: String, appA2: String, secretA2: String, roleA2: String
    }

    /// root (provincial union) → bank A → villages A1 and A2, each with a user and an application.
    func buildTree(_ server: TestPlatform) async throws -> Tree {
        let admin = try await ConsoleClient.administrator(server)
        func org(_ name: String, _ kind: String, _ parent: String) async throws -> String {
            let reply = try await admin.call(.POST, "console/api/organisations", json: ["name": name, "kind": kind, "parentId": parent])
            XCTAssertEqual(reply.status, .ok, reply.text)
            return reply.object["id"] as? String ?? ""
        }
        let bankA = try await org("Member bank A", "bank", admin.organisationID)
        let villageA1 = try await org("Village bank A1", "village", bankA)
        let villageA2 = try await org("Village bank A2", "village", bankA)
        let roles = try await admin.call(.GET, "console/api/roles").items
        let administratorRole = roles.first { $0["name"] as? String == "Administrator" }?["id"] as? String ?? ""
        for (name, organisation) in [("manager-a1", villageA1), ("manager-a2", villageA2)] {
            let reply = try await admin.call(.POST, "console/api/users", json: [
                "username": name, "displayName": name, "password": "Initial-pass-1", "organisationId": organisation, "roleIds": [administratorRole]])
            XCTAssertEqual(reply.status, .ok, reply.text)
        }
        let users = try await admin.call(.GET, "console/api/users?q=manager-a2").items
        let app = try await admin.call(.POST, "console/api/applications", json: ["name": "A2 app", "organisationId": villageA2, "qpsLimit": 5, "ipAllowList": []])
        XCTAssertEqual(app.status, .ok, app.text)
        _ = try await admin.call(.POST, "console/api/applications", json: ["name": "A1 app", "organisationId": villageA1, "qpsLimit": 5, "ipAllowList": []])
        let role = try await admin.call(.POST, "console/api/roles", json: ["name": "A2 reviewers", "organisationId": villageA2, "permissions": ["log.read"]])
        XCTAssertEqual(role.status, .ok, role.text)
        return Tree(admin: admin, bankA: bankA, villageA1: villageA1, villageA2: villageA2,
                    userA2: users.first?["id"] as? String ?? "",
                    appA2: (app.object["application"] as? [String: Any])?["id"] as? String ?? "",
                    secretA2: (app.object["credential"] as? [String: Any])?["secretId"] as? String ?? "",
                    roleA2: role.object["id"] as? String ?? "")
    }

    func testVillageBankCannotSeeOrTouchItsSibling() async throws {
        try await TestPlatform.onEveryBackend { server, backend in
            let tree = try await buildTree(server)
            var a1 = ConsoleClient(app: server.app)
            try await assertEqual(try await a1.login("manager-a1", "Initial-pass-1").0, .ok)

            // Lists hold A1's rows only.
            let organisations = try await a1.call(.GET, "console/api/organisations").items.compactMap { $0["id"] as? String }
            XCTAssertEqual(organisations, [tree.villageA1], "\(backend)")
            let users = try await a1.call(.GET, "console/api/users").items.compactMap { $0["username"] as? String }
            XCTAssertEqual(users, ["manager-a1"], "\(backend)")
            let apps = try await a1.call(.GET, "console/api/applications").items.compactMap { $0["name"] as? String }
            XCTAssertEqual(apps, ["A1 app"], "\(backend)")
            let roles = try await a1.call(.GET, "console/api/roles").items.compactMap { $0["name"] as? String }
            XCTAssertFalse(roles.contains("A2 reviewers"), "\(backend)")
            let audit = try await a1.call(.GET, "console/api/audit?size=100")
            XCTAssertFalse(audit.text.contains("manager-a2"), "\(backend): A2's audit rows leaked")
            XCTAssertFalse(audit.text.contains("A2 app"), "\(backend)")

            // Every action on A2's ids answers "not found", exactly as for an id that does not exist.
            let missing = UUID().uuidString
            for (method, path, body) in [
                (HTTPMethod.PATCH, "console/api/users/\(tree.userA2)", ["displayName": "taken over"]),
                (.DELETE, "console/api/users/\(tree.userA2)", nil),
                (.PATCH, "console/api/organisations/\(tree.villageA2)", ["name": "renamed"]),
                (.DELETE, "console/api/organisations/\(tree.villageA2)", nil),
                (.POST, "console/api/organisations", ["name": "child", "kind": "other", "parentId": tree.villageA2]),
                (.POST, "console/api/users", ["username": "intruder", "password": "Initial-pass-1", "organisationId": tree.villageA2]),
                (.PATCH, "console/api/applications/\(tree.appA2)", ["qpsLimit": 1000]),
                (.POST, "console/api/applications/\(tree.appA2)/credentials", nil),
                (.POST, "console/api/applications/\(tree.appA2)/credentials/\(tree.secretA2)/disable", nil),
                (.PATCH, "console/api/roles/\(tree.roleA2)", ["name": "x"]),
                (.POST, "console/api/users", ["username": "helper", "password": "Initial-pass-1", "organisationId": tree.villageA1, "roleIds": [tree.roleA2]]),
            ] as [(HTTPMethod, String, [String: Any]?)] {
                let reply = try await a1.call(method, path, json: body)
                XCTAssertEqual(reply.status, .notFound, "\(backend) \(method) \(path): \(reply.text)")
                XCTAssertEqual(reply.code, 4004, "\(backend) \(method) \(path)")
                let unknown = try await a1.call(method, path.replacingOccurrences(of: tree.userA2, with: missing)
                    .replacingOccurrences(of: tree.villageA2, with: missing).replacingOccurrences(of: tree.appA2, with: missing)
                    .replacingOccurrences(of: tree.roleA2, with: missing), json: body)
                XCTAssertEqual(unknown.object["Error"].map { ($0 as? [String: Any])?["Message"] as? String },
                               reply.object["Error"].map { ($0 as? [String: Any])?["Message"] as? String },
                               "\(backend): a sibling's id answers differently from an unknown id")
            }
            // Nothing changed.
            let a2users = try await tree.admin.call(.GET, "console/api/users?q=manager-a2").items
            XCTAssertEqual(a2users.first?["displayName"] as? String, "manager-a2", "\(backend)")

            // The provincial union sees all of it.
            let all = try await tree.admin.call(.GET, "console/api/organisations").items
            XCTAssertEqual(all.count, 4, "\(backend)")
            try await assertEqual(try await tree.admin.call(.GET, "console/api/applications").items.count, 2, "\(backend)")
            try await assertEqual(try await tree.admin.call(.GET, "console/api/users").object["total"] as? Int, 3, "\(backend)")
        }
    }

    func testApplicationCallsAreLoggedInTheirOwnOrganisationOnly() async throws {
        try await TestPlatform.withServer { server in
            let tree = try await buildTree(server)
            let (_, a2) = try await server.application(in: UUID(uuidString: tree.villageA2))
            let body = try JSONSerialization.data(withJSONObject: ["image": try TestData.bytes("faces/face_recognition_examples/examples/biden.jpg").base64EncodedString()])
            try await server.app.test(.POST, "/v1/faces/detect", headers: TestSigner.headers(for: a2, path: "/v1/faces/detect", body: body, action: "DetectFace"),
                                      body: ByteBuffer(data: body)) { res async throws in XCTAssertEqual(res.status, .ok, res.body.string) }
            var a1 = ConsoleClient(app: server.app)
            try await assertEqual(try await a1.login("manager-a1", "Initial-pass-1").0, .ok)
            try await assertEqual(try await a1.call(.GET, "console/api/calls").object["total"] as? Int, 0)
            let seen = try await tree.admin.call(.GET, "console/api/calls").items
            XCTAssertEqual(seen.count, 1)
            XCTAssertEqual(seen.first?["action"] as? String, "DetectFace")
            XCTAssertEqual(seen.first?["code"] as? Int, 0)
        }
    }
}
