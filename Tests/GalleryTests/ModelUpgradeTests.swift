import Foundation
import Platform
import TestSupport
import XCTVapor

/// Model upgrade of a group as a job, and its revert: features re-extracted from the kept
/// images with the other engine, search and verify under the new version, a restart, and
/// faces enrolled between upgrade and revert.
final class ModelUpgradeTests: XCTestCase {
    static let examples = "faces/face_recognition_examples/examples/"
    static let sface = "sface-2021dec", dlib = "dlib-resnet-v1"

    func searchTop(_ client: APIClient, _ group: String, _ file: String) async throws -> (String?, Double) {
        let reply = try await client.call(.POST, "/v1/search", ["groupIds": [group], "image": try APIClient.image(Self.examples + file)])
        let candidates = ((reply.object["results"] as? [[String: Any]])?.first?["candidates"] as? [[String: Any]]) ?? []
        return (candidates.first?["personId"] as? String, candidates.first?["score"] as? Double ?? 0)
    }

    func testUpgradeToDlibThenRevertOnEveryBackend() async throws {
        try await TestPlatform.onEveryBackend { server, backend in
            let client = APIClient(server: server, credential: try await server.application().1)
            _ = try await client.call(.POST, "/v1/groups", ["groupId": "kept", "name": "Kept", "keepImages": true])
            _ = try await client.call(.POST, "/v1/groups", ["groupId": "bare", "name": "No images"])
            for (group, id, file) in [("kept", "obama", "obama.jpg"), ("kept", "biden", "biden.jpg"), ("bare", "alex", "alex-lacamoire.png")] {
                let reply = try await client.call(.POST, "/v1/persons", ["groupId": group, "personId": id, "personName": id,
                                                                         "image": try APIClient.image(Self.examples + file)])
                XCTAssertEqual(reply.status, .ok, "\(backend) \(reply.text)")
            }

            // Refused: no images to re-extract from, an unknown or current version, no upgrade to revert, another application's group.
            var reply = try await client.call(.POST, "/v1/jobs/model-upgrade", ["groupId": "bare", "modelVersion": Self.dlib])
            XCTAssertEqual(reply.code, 4000, "\(backend) \(reply.text)")
            XCTAssertTrue(reply.text.contains("keeps no images"), reply.text)
            try await assertEqual(try await client.call(.POST, "/v1/jobs/model-upgrade", ["groupId": "kept", "modelVersion": "arcface-9"]).code, 4000)
            try await assertEqual(try await client.call(.POST, "/v1/jobs/model-upgrade", ["groupId": "kept", "modelVersion": Self.sface]).code, 4000)
            try await assertEqual(try await client.call(.POST, "/v1/jobs/model-revert", ["groupId": "kept"]).code, 4000)
            let outsider = APIClient(server: server, credential: try await server.application().1)
            try await assertEqual(try await outsider.call(.POST, "/v1/jobs/model-upgrade", ["groupId": "kept", "modelVersion": Self.dlib]).code, 4004)

            // Upgrade: every face re-extracted with dlib, the group switched, the index rebuilt.
            let (_, sfaceScore) = try await searchTop(client, "kept", "obama2.jpg")
            reply = try await client.call(.POST, "/v1/jobs/model-upgrade", ["groupId": "kept", "modelVersion": Self.dlib])
            let upgrade = try XCTUnwrap(reply.result["jobId"] as? String, "\(backend) \(reply.text)")
            var job = try await client.finishedJob(upgrade)
            XCTAssertEqual(job["state"] as? String, "done", "\(backend) \(job)")
            XCTAssertEqual(job["kind"] as? String, "model-upgrade")
            XCTAssertEqual(job["done"] as? Int, 2)
            XCTAssertEqual(job["fromModelVersion"] as? String, Self.sface)
            XCTAssertEqual(job["toModelVersion"] as? String, Self.dlib)
            reply = try await client.call(.GET, "/v1/groups/kept")
            XCTAssertEqual(reply.result["modelVersion"] as? String, Self.dlib, "\(backend) \(reply.text)")
            XCTAssertEqual(reply.result["previousModelVersion"] as? String, Self.sface)
            XCTAssertEqual(reply.result["indexedFaces"] as? Int, 2)

            // Search and verify now run on dlib features: the same person scores high, another low.
            var (top, score) = try await searchTop(client, "kept", "obama2.jpg")
            XCTAssertEqual(top, "obama", "\(backend)")
            XCTAssertGreaterThan(score, 80)
            XCTAssertNotEqual(score, sfaceScore, accuracy: 0.01, "\(backend): the score should come from dlib features now")
            reply = try await client.call(.POST, "/v1/verify", ["personId": "biden", "image": try APIClient.image(Self.examples + "obama2.jpg")])
            XCTAssertEqual(reply.result["isMatch"] as? Bool, false, "\(backend) \(reply.text)")
            reply = try await client.call(.POST, "/v1/verify", ["personId": "obama", "image": try APIClient.image(Self.examples + "obama2.jpg")])
            XCTAssertEqual(reply.result["isMatch"] as? Bool, true, "\(backend) \(reply.text)")

            // A search across groups of two versions embeds the probe with each.
            (top, _) = try await searchTop(client, "bare", "alex-lacamoire.png")
            XCTAssertEqual(top, "alex")
            reply = try await client.call(.POST, "/v1/search", ["groupIds": ["kept", "bare"], "image": try APIClient.image(Self.examples + "obama2.jpg")])
            let mixed = ((reply.object["results"] as? [[String: Any]])?.first?["candidates"] as? [[String: Any]]) ?? []
            XCTAssertEqual(mixed.map { $0["personId"] as? String }, ["obama"], "\(backend) \(reply.text)")

            // Copying a person into a group of the other version gives their faces its features.
            _ = try await client.call(.POST, "/v1/groups", ["groupId": "sface-too", "name": "SFace"])
            reply = try await client.call(.POST, "/v1/persons/biden/copy", ["groupIds": ["sface-too"]])
            XCTAssertEqual(reply.status, .ok, "\(backend) \(reply.text)")
            (top, _) = try await searchTop(client, "sface-too", "biden.jpg")
            XCTAssertEqual(top, "biden", "\(backend)")
            // ... which a duplicate check cannot mix.
            try await assertEqual(try await client.call(.POST, "/v1/jobs/duplicates", ["groupIds": ["kept", "sface-too"]]).code, 4000)

            // Enrolled after the upgrade (dlib only), then revert: the old features come back
            // and the newcomer gets an SFace feature from its image.
            reply = try await client.call(.POST, "/v1/persons", ["groupId": "kept", "personId": "lin", "personName": "Lin",
                                                                 "image": try APIClient.image(Self.examples + "lin-manuel-miranda.png")])
            XCTAssertEqual(reply.status, .ok, "\(backend) \(reply.text)")
            reply = try await client.call(.POST, "/v1/jobs/model-revert", ["groupId": "kept"])
            job = try await client.finishedJob(try XCTUnwrap(reply.result["jobId"] as? String, "\(backend) \(reply.text)"))
            XCTAssertEqual(job["state"] as? String, "done", "\(backend) \(job)")
            XCTAssertEqual(job["toModelVersion"] as? String, Self.sface)
            reply = try await client.call(.GET, "/v1/groups/kept")
            XCTAssertEqual(reply.result["modelVersion"] as? String, Self.sface, "\(backend) \(reply.text)")
            XCTAssertEqual(reply.result["previousModelVersion"] as? String, Self.dlib)
            XCTAssertEqual(reply.result["indexedFaces"] as? Int, 3)
            (top, score) = try await searchTop(client, "kept", "obama2.jpg")
            XCTAssertEqual(top, "obama", "\(backend)")
            XCTAssertGreaterThan(score, 80)
            (top, _) = try await searchTop(client, "kept", "lin-manuel-miranda.png")
            XCTAssertEqual(top, "lin", "\(backend)")
        }
    }

    func testAnUpgradedGroupIsIndexedUnderItsNewVersionAfterARestart() async throws {
        let server = try await TestPlatform.make()
        let client = APIClient(server: server, credential: try await server.application().1)
        _ = try await client.call(.POST, "/v1/groups", ["groupId": "kept", "name": "Kept", "keepImages": true])
        for (id, file) in [("obama", "obama.jpg"), ("biden", "biden.jpg")] {
            _ = try await client.call(.POST, "/v1/persons", ["groupId": "kept", "personId": id, "personName": id,
                                                             "image": try APIClient.image(Self.examples + file)])
        }
        let reply = try await client.call(.POST, "/v1/jobs/model-upgrade", ["groupId": "kept", "modelVersion": Self.dlib])
        let job = try await client.finishedJob(try XCTUnwrap(reply.result["jobId"] as? String, reply.text))
        XCTAssertEqual(job["state"] as? String, "done", "\(job)")
        let before = try await searchTop(client, "kept", "obama2.jpg")
        try await server.app.asyncShutdown()

        try await TestPlatform.reopen(server).closing { restarted in
            let again = APIClient(server: restarted, credential: client.credential)
            let group = try await again.call(.GET, "/v1/groups/kept")
            XCTAssertEqual(group.result["modelVersion"] as? String, Self.dlib, group.text)
            XCTAssertEqual(group.result["indexedFaces"] as? Int, 2)
            let after = try await self.searchTop(again, "kept", "obama2.jpg")
            XCTAssertEqual(after.0, "obama")
            XCTAssertEqual(after.1, before.1, accuracy: 0.01, "the restarted index scores as before")
        }
    }
}
