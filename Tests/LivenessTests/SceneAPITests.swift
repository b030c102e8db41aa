import Foundation
import Platform
import TestSupport
import XCTVapor

/// Scenes through the signed API: defaults, validation, the callback secret kept out of
/// every answer, and scoping to the application.
final class SceneAPITests: XCTestCase {
    func testScenesOnEveryBackend() async throws {
        try await TestPlatform.onEveryBackend { server, backend in
            let client = APIClient(server: server, credential: try await server.application().1)
            var reply = try await client.call(.POST, "/v1/scenes", ["sceneId": "login", "name": "Login", "actionPool": ["blink", "nod"],
                                                                    "actionCount": 2, "callbackUrl": "http://127.0.0.1:9/hook",
                                                                    "callbackSecret": "a-callback-secret-of-some-length"])
            XCTAssertEqual(reply.status, .ok, "\(backend) \(reply.text)")
            XCTAssertEqual((reply.result["rules"] as? [String: Any])?["actionCount"] as? Int, 2)
            XCTAssertEqual((reply.result["rules"] as? [String: Any])?["mode"] as? String, "action")
            XCTAssertEqual(reply.result["hasCallbackSecret"] as? Bool, true)
            XCTAssertFalse(reply.text.contains("a-callback-secret"), "the secret must never be answered")

            try await assertEqual(try await client.call(.POST, "/v1/scenes", ["sceneId": "login", "name": "again"]).code, 4009)
            for bad: [String: Any] in [["sceneId": "x", "name": "X", "actionCount": 5],
                                       ["sceneId": "x", "name": "X", "actionPool": ["smile"]],
                                       ["sceneId": "x", "name": "X", "callbackUrl": "ftp://example.com/"],
                                       ["sceneId": "x", "name": "X", "callbackUrl": "http://example.com/"],
                                       ["sceneId": "bad id!", "name": "X"],
                                       ["sceneId": "x", "name": "X", "sessionLifetime": 5]] {
                try await assertEqual(try await client.call(.POST, "/v1/scenes", bad).code, 4000, "\(bad)")
            }

            reply = try await client.call(.PUT, "/v1/scenes/login", ["name": "Login v2", "mode": "silent", "callbackUrl": "http://127.0.0.1:9/hook"])
            XCTAssertEqual(reply.status, .ok, reply.text)
            XCTAssertEqual((reply.result["rules"] as? [String: Any])?["mode"] as? String, "silent")
            XCTAssertEqual(reply.result["hasCallbackSecret"] as? Bool, true, "an update without a secret keeps it")
            reply = try await client.call(.GET, "/v1/scenes")
            XCTAssertEqual(reply.object["total"] as? Int, 1, reply.text)

            // Another application (here in another organisation) sees nothing.
            let other = try await server.application(in: try await server.newOrganisation()).1
            let outsider = APIClient(server: server, credential: other)
            try await assertEqual(try await outsider.call(.GET, "/v1/scenes/login").code, 4004)
            try await assertEqual(try await outsider.call(.DELETE, "/v1/scenes/login").code, 4004)
            try await assertEqual(try await outsider.call(.POST, "/v1/verifications", ["sceneId": "login"]).code, 4004)
            try await assertEqual(try await client.call(.DELETE, "/v1/scenes/login").status, .ok)
            try await assertEqual(try await client.call(.GET, "/v1/scenes/login").code, 4004)
        }
    }
}
