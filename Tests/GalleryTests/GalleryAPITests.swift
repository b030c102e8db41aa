import Foundation
import Platform
import TestSupport
import XCTVapor

/// Groups, persons, search and verify through the signed API, on SQLite and PostgreSQL.
final class GalleryAPITests: XCTestCase {
    static let examples = "faces/face_recognition_examples/examples/"

    func testEnrolSearchVerifyAndIsolationOnEveryBackend() async throws {
        try await TestPlatform.onEveryBackend { server, backend in
            let client = APIClient(server: server, credential: try await server.application().1)
            var reply = try await client.call(.POST, "/v1/groups", ["groupId": "staff", "name": "Staff", "customFields": ["branch"]])
            XCTAssertEqual(reply.status, .ok, "\(backend) \(reply.text)")
            try await assertEqual(try await client.call(.POST, "/v1/groups", ["groupId": "staff", "name": "again"]).code, 4009, "\(backend)")

            for (id, file) in [("obama", "obama.jpg"), ("biden", "biden.jpg")] {
                reply = try await client.call(.POST, "/v1/persons", ["groupId": "staff", "personId": id, "personName": id.capitalized,
                                                                     "customValues": ["branch": "HQ"], "image": try APIClient.image(Self.examples + file)])
                XCTAssertEqual(reply.status, .ok, "\(backend) \(reply.text)")
                XCTAssertEqual((reply.result["faceIds"] as? [String])?.count, 1)
            }
            // The same face again: refused, or let through with a warning.
            reply = try await client.call(.POST, "/v1/persons", ["groupId": "staff", "personId": "obama-again", "personName": "O",
                                                                 "uniquePersonControl": "refuse", "image": try APIClient.image(Self.examples + "obama2.jpg")])
            XCTAssertEqual(reply.code, 4009, "\(backend) \(reply.text)")
            XCTAssertTrue(reply.text.contains("obama"))

            // 1:N search finds the right person with a high score, and only above the threshold.
            reply = try await client.call(.POST, "/v1/search", ["groupIds": ["staff"], "image": try APIClient.image(Self.examples + "obama2.jpg"), "byGroup": true])
            XCTAssertEqual(reply.status, .ok, "\(backend) \(reply.text)")
            let candidates = ((reply.object["results"] as? [[String: Any]])?.first?["candidates"] as? [[String: Any]]) ?? []
            XCTAssertEqual(candidates.first?["personId"] as? String, "obama", "\(backend)")
            XCTAssertGreaterThan(candidates.first?["score"] as? Double ?? 0, 80)
            XCTAssertFalse(candidates.contains { $0["personId"] as? String == "biden" }, "\(backend): biden above the threshold")

            // Verify against a person, by face and by template.
            reply = try await client.call(.POST, "/v1/verify", ["personId": "obama", "image": try APIClient.image(Self.examples + "obama2.jpg")])
            XCTAssertEqual(reply.result["isMatch"] as? Bool, true, "\(backend) \(reply.text)")
            reply = try await client.call(.POST, "/v1/verify", ["personId": "biden", "image": try APIClient.image(Self.examples + "obama2.jpg")])
            XCTAssertEqual(reply.result["isMatch"] as? Bool, false, "\(backend) \(reply.text)")

            // More faces, up to five; then the sixth is refused.
            reply = try await client.call(.POST, "/v1/persons/obama/faces", ["images": [try APIClient.image(Self.examples + "obama2.jpg")]])
            XCTAssertEqual((reply.object["faceIds"] as? [String])?.count, 1, "\(backend) \(reply.text)")
            let four = try [String](repeating: APIClient.image(Self.examples + "obama_small.jpg"), count: 4)
            try await assertEqual(try await client.call(.POST, "/v1/persons/obama/faces", ["images": four]).code, 4000, "\(backend)")

            // Copy to another group; the group counts agree with the index.
            _ = try await client.call(.POST, "/v1/groups", ["groupId": "vip", "name": "VIP"])
            reply = try await client.call(.POST, "/v1/persons/obama/copy", ["groupIds": ["vip"]])
            XCTAssertEqual(reply.result["groupIds"] as? [String], ["staff", "vip"], "\(backend) \(reply.text)")
            reply = try await client.call(.GET, "/v1/groups/vip")
            XCTAssertEqual(reply.result["faceCount"] as? Int, 2, "\(backend) \(reply.text)")
            XCTAssertEqual(reply.result["indexedFaces"] as? Int, 2, "\(backend)")
            reply = try await client.call(.GET, "/v1/persons?groupId=staff")
            XCTAssertEqual(reply.object["total"] as? Int, 2, "\(backend) \(reply.text)")

            // Another organisation's application: the same ids are "not found" everywhere.
            let root = try await server.rootOrganisation
            let other = OrganisationModel(name: "Other bank", kind: .bank, parent: root)
            try await other.create(on: server.app.db)
            let outsider = APIClient(server: server, credential: try await server.application(in: other.requireID()).1)
            for (method, path, body) in [
                (HTTPMethod.GET, "/v1/groups/staff", nil),
                (.PATCH, "/v1/groups/staff", ["name": "mine"]),
                (.DELETE, "/v1/groups/staff", nil),
                (.GET, "/v1/persons/obama", nil),
                (.GET, "/v1/persons?groupId=staff", nil),
                (.DELETE, "/v1/persons/obama", nil),
                (.POST, "/v1/persons/obama/copy", ["groupIds": ["staff"]]),
                (.POST, "/v1/search", ["groupIds": ["staff"], "image": try APIClient.image(Self.examples + "obama2.jpg")]),
                (.POST, "/v1/verify", ["personId": "obama", "image": try APIClient.image(Self.examples + "obama2.jpg")]),
            ] as [(HTTPMethod, String, [String: Any]?)] {
                let refused = try await outsider.call(method, path, body)
                XCTAssertEqual(refused.code, 4004, "\(backend) \(method) \(path): \(refused.text)")
            }
            try await assertEqual(try await outsider.call(.GET, "/v1/groups").object["total"] as? Int, 0)

            // Deleting a person from one group keeps them in the other; deleting the group
            // removes persons left in no group.
            try await assertEqual(try await client.call(.DELETE, "/v1/persons/obama?groupId=vip").status, .noContent)
            try await assertEqual(try await client.call(.GET, "/v1/persons/obama").result["groupIds"] as? [String], ["staff"])
            try await assertEqual(try await client.call(.DELETE, "/v1/groups/staff").status, .noContent)
            try await assertEqual(try await client.call(.GET, "/v1/persons/biden").code, 4004, "\(backend)")
        }
    }

    func testIndexIsRebuiltFromTheDatabaseAfterARestart() async throws {
        let server = try await TestPlatform.make()
        let (_, credential) = try await server.application()
        let client = APIClient(server: server, credential: credential)
        _ = try await client.call(.POST, "/v1/groups", ["groupId": "g", "name": "G"])
        for (id, file) in [("obama", "obama.jpg"), ("biden", "biden.jpg")] {
            _ = try await client.call(.POST, "/v1/persons", ["groupId": "g", "personId": id, "personName": id, "image": try APIClient.image(Self.examples + file)])
        }
        try await server.app.asyncShutdown()

        // A second server on the same data folder: the index comes back from the database.
        try await TestPlatform.reopen(server).closing { restarted in
            let again = APIClient(server: restarted, credential: credential)
            let group = try await again.call(.GET, "/v1/groups/g")
            XCTAssertEqual(group.result["faceCount"] as? Int, 2, group.text)
            XCTAssertEqual(group.result["indexedFaces"] as? Int, 2)
            let found = try await again.call(.POST, "/v1/search", ["groupIds": ["g"], "image": try APIClient.image(Self.examples + "biden.jpg")])
            let top = ((found.object["results"] as? [[String: Any]])?.first?["candidates"] as? [[String: Any]])?.first
            XCTAssertEqual(top?["personId"] as? String, "biden", found.text)
        }
    }
}
