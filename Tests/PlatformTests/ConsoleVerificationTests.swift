import Fluent
import Foundation
import Liveness
@testable import Platform
import TestSupport
import XCTVapor

/// The console's records of H5 liveness verifications: list, filters, the detail with its
/// frames and timeline, the organisation scope and the `verification.read` permission.
final class ConsoleVerificationTests: XCTestCase {
    static let examples = "faces/face_recognition_examples/examples/"

    /// A decided verification written the way the session writes it, with a best frame and
    /// two audit frames in the blob store.
    func decidedRecord(_ server: TestPlatform, application: ApplicationModel, scene: SceneModel,
                       best: Data, audit: [Data]) async throws -> VerificationModel {
        var timeline = Timeline()
        timeline.append(attempt: 1, at: 0.2, kind: "hints", detail: "too_far")
        timeline.append(attempt: 1, at: 1.1, kind: "action", detail: "blink")
        timeline.append(attempt: 1, at: 3.5, kind: "decision", detail: "1301")
        timeline.detected = [DetectedAction(action: .blink, startedAt: 0.9, completedAt: 1.1)]
        let record = VerificationModel()
        record.organisationID = application.organisationID
        record.applicationID = try application.requireID()
        record.sceneRow = try scene.requireID()
        record.tokenHash = String(repeating: "ab", count: 32)
        record.state = VerificationState.failed.rawValue
        record.rulesJSON = scene.rulesJSON
        record.challengeJSON = String(decoding: try JSONEncoder().encode(Challenge(actions: [.blink])), as: UTF8.self)
        record.attempts = 1
        record.externalUserID = "u-3"
        record.extra = "<b>order 7</b>"
        record.expiresAt = Date().addingTimeInterval(600)
        record.startedAt = Date().addingTimeInterval(-5)
        record.finishedAt = Date()
        record.code = 1301
        record.message = "the actions were not done as asked"
        record.livenessScore = 12.5
        record.timelineJSON = String(decoding: try JSONEncoder().encode(timeline), as: UTF8.self)
        record.deviceJSON = #"{"userAgent":"Mozilla/5.0 (test)","screen":"412x915"}"#
        record.ip = "10.1.2.3"
        record.bestFrameBlob = try server.platform.blobs.put(best)
        let auditIDs = try audit.map { try server.platform.blobs.put($0) }
        record.auditFrameBlobsJSON = String(decoding: try JSONEncoder().encode(auditIDs), as: UTF8.self)
        record.callbackState = CallbackState.failed.rawValue
        record.callbackAttempts = 3
        record.callbackError = "HTTP 500"
        try await record.create(on: server.app.db)
        return record
    }

    func ids(_ reply: ConsoleClient.Reply) -> [String] { reply.items.compactMap { $0["externalUserId"] as? String } }

    func testListFilterDetailScopeAndPermission() async throws {
        try await TestPlatform.onEveryBackend { server, backend in
            let admin = try await ConsoleClient.administrator(server)
            let (application, credential) = try await server.application()
            let api = APIClient(server: server, credential: credential)
            for scene in [["sceneId": "pay", "name": "Pay", "actionPool": ["blink", "nod"], "actionCount": 1] as [String: Any],
                          ["sceneId": "kyc", "name": "KYC"]] {
                let reply = try await api.call(.POST, "/v1/scenes", scene)
                XCTAssertEqual(reply.status, .ok, reply.text)
            }
            for (scene, user) in [("pay", "u-1"), ("kyc", "u-2")] {
                let reply = try await api.call(.POST, "/v1/verifications", ["sceneId": scene, "externalUserId": user])
                XCTAssertEqual(reply.status, .ok, reply.text)
            }
            let payRow = try await SceneModel.query(on: server.app.db).filter(\.$sceneID == "pay").first()
            let pay = try XCTUnwrap(payRow)
            let best = try TestData.bytes(Self.examples + "obama.jpg")
            let audit = [try TestData.bytes(Self.examples + "biden.jpg"), try TestData.bytes(Self.examples + "obama2.jpg")]
            let decided = try await decidedRecord(server, application: application, scene: pay, best: best, audit: audit)
            let decidedID = try decided.requireID().uuidString

            // Another organisation with its own application, scene and verification.
            let otherOrg = try await admin.call(.POST, "console/api/organisations", json: ["name": "Other bank", "kind": "bank", "parentId": admin.organisationID])
            let otherOrgID = try XCTUnwrap(otherOrg.object["id"] as? String, otherOrg.text)
            let otherAPI = APIClient(server: server, credential: try await server.application(in: UUID(uuidString: otherOrgID)).1)
            _ = try await otherAPI.call(.POST, "/v1/scenes", ["sceneId": "pay", "name": "Other pay"])
            try await assertEqual(try await otherAPI.call(.POST, "/v1/verifications", ["sceneId": "pay", "externalUserId": "o-1"]).status, .ok)

            // The list: newest first, the root sees its own and its descendants'.
            var list = try await admin.call(.GET, "console/api/verifications")
            XCTAssertEqual(list.status, .ok, list.text)
            XCTAssertEqual(list.object["total"] as? Int, 4, "\(backend)")
            XCTAssertEqual(ids(list).first, "o-1", "\(backend)")
            let row = try XCTUnwrap(list.items.first { $0["id"] as? String == decidedID })
            XCTAssertEqual(row["sceneId"] as? String, "pay")
            XCTAssertEqual(row["sceneName"] as? String, "Pay")
            XCTAssertEqual(row["state"] as? String, "failed")
            XCTAssertEqual(row["code"] as? Int, 1301)
            XCTAssertEqual(row["livenessScore"] as? Double, 12.5)
            XCTAssertEqual(row["attempts"] as? Int, 1)
            XCTAssertEqual(row["actions"] as? [String], ["blink"])
            XCTAssertNotNil(row["createdAt"] as? String)

            // Filters.
            try await assertEqual(ids(try await admin.call(.GET, "console/api/verifications?state=failed")), ["u-3"], "\(backend)")
            try await assertEqual(ids(try await admin.call(.GET, "console/api/verifications?code=1301")), ["u-3"], "\(backend)")
            try await assertEqual(ids(try await admin.call(.GET, "console/api/verifications?sceneId=kyc")), ["u-2"], "\(backend)")
            try await assertEqual(Set(ids(try await admin.call(.GET, "console/api/verifications?sceneId=pay"))), ["u-1", "u-3", "o-1"], "\(backend)")
            try await assertEqual(ids(try await admin.call(.GET, "console/api/verifications?sceneId=none")), [], "\(backend)")
            try await assertEqual(ids(try await admin.call(.GET, "console/api/verifications?externalUserId=u-1")), ["u-1"], "\(backend)")
            try await assertEqual(ids(try await admin.call(.GET, "console/api/verifications?externalUserId=u")), [], "\(backend)")
            try await assertEqual(Set(ids(try await admin.call(.GET, "console/api/verifications?state=created&applicationId=\(application.requireID())"))), ["u-1", "u-2"], "\(backend)")
            try await assertEqual(ids(try await admin.call(.GET, "console/api/verifications?from=2099-01-01T00:00:00Z")), [], "\(backend)")
            try await assertEqual(try await admin.call(.GET, "console/api/verifications?to=2099-01-01T00:00:00Z").object["total"] as? Int, 4, "\(backend)")
            list = try await admin.call(.GET, "console/api/verifications?size=1&page=2")
            XCTAssertEqual(list.items.count, 1)
            XCTAssertEqual(list.object["total"] as? Int, 4)
            try await assertEqual(try await admin.call(.GET, "console/api/verifications?state=bogus").code, 4000)
            try await assertEqual(try await admin.call(.GET, "console/api/verifications?from=yesterday").code, 4000)

            // The detail: outcome, timeline, detected actions, device, callback and the frames.
            let detail = try await admin.call(.GET, "console/api/verifications/\(decidedID)")
            XCTAssertEqual(detail.status, .ok, detail.text)
            let d = detail.object
            XCTAssertEqual(d["state"] as? String, "failed")
            XCTAssertEqual(d["code"] as? Int, 1301)
            XCTAssertEqual(d["mode"] as? String, "action")
            XCTAssertEqual(d["sceneName"] as? String, "Pay")
            XCTAssertEqual(d["applicationName"] as? String, application.name)
            XCTAssertEqual(d["extra"] as? String, "<b>order 7</b>")
            XCTAssertEqual(d["ip"] as? String, "10.1.2.3")
            XCTAssertEqual((d["device"] as? [String: Any])?["screen"] as? String, "412x915")
            XCTAssertEqual((d["timeline"] as? [[String: Any]])?.compactMap { $0["kind"] as? String }, ["hints", "action", "decision"])
            XCTAssertEqual((d["detected"] as? [[String: Any]])?.compactMap { $0["action"] as? String }, ["blink"])
            XCTAssertEqual((d["callback"] as? [String: Any])?["state"] as? String, "failed")
            XCTAssertEqual((d["callback"] as? [String: Any])?["lastError"] as? String, "HTTP 500")
            XCTAssertNotNil(d["finishedAt"] as? String)
            func jpeg(_ value: Any?) -> Data? {
                guard let text = value as? String, text.hasPrefix("data:image/jpeg;base64,") else { return nil }
                return Data(base64Encoded: String(text.dropFirst("data:image/jpeg;base64,".count)))
            }
            XCTAssertEqual(jpeg(d["bestFrame"]), best)
            let auditFrames = d["auditFrames"] as? [Any] ?? []
            XCTAssertEqual(auditFrames.count, 2)
            XCTAssertEqual(auditFrames.compactMap(jpeg), audit)
            XCTAssertEqual(d["missingFrames"] as? Int, 0)
            // Nothing of the token or the sealed fields, nor the blob ids.
            for secret in [decided.tokenHash, decided.bestFrameBlob ?? "-"] { XCTAssertFalse(detail.text.contains(secret)) }
            for key in ["tokenHash", "sealedReference", "bestFrameBlob", "auditFrameBlobs", "rules"] { XCTAssertNil(d[key], key) }
            // Who looked is on record.
            let views = try await admin.call(.GET, "console/api/audit?action=verification.view").items
            XCTAssertEqual(views.first?["targetId"] as? String, decidedID)

            // A frame gone from the disk (retention) leaves the rest readable.
            try server.platform.blobs.delete(try XCTUnwrap(decided.bestFrameBlob))
            let partial = try await admin.call(.GET, "console/api/verifications/\(decidedID)").object
            XCTAssertNil(partial["bestFrame"] as? String)
            XCTAssertEqual((partial["auditFrames"] as? [Any])?.count, 2)
            XCTAssertEqual(partial["missingFrames"] as? Int, 1)

            // Unknown and malformed ids: 4004.
            try await assertEqual(try await admin.call(.GET, "console/api/verifications/\(UUID().uuidString)").code, 4004)
            try await assertEqual(try await admin.call(.GET, "console/api/verifications/not-an-id").code, 4004)

            // The other organisation's administrator sees only its own, and the root's ids are unknown.
            let roles = try await admin.call(.GET, "console/api/roles").items
            let roleID = { (name: String) in roles.first { $0["name"] as? String == name }?["id"] as? String ?? "" }
            XCTAssertTrue((roles.first { $0["name"] as? String == "Operator" }?["permissions"] as? [String] ?? []).contains("verification.read"))
            XCTAssertTrue((roles.first { $0["name"] as? String == "Auditor" }?["permissions"] as? [String] ?? []).contains("verification.read"))
            try await assertEqual(try await admin.call(.POST, "console/api/users", json: [
                "username": "other-admin", "displayName": "Other", "password": "Initial-pass-1", "organisationId": otherOrgID,
                "roleIds": [roleID("Administrator")]]).status, .ok)
            var other = ConsoleClient(app: server.app)
            try await assertEqual(try await other.login("other-admin", "Initial-pass-1").0, .ok)
            let otherList = try await other.call(.GET, "console/api/verifications")
            XCTAssertEqual(ids(otherList), ["o-1"], "\(backend): \(otherList.text)")
            let otherID = try XCTUnwrap(otherList.items.first?["id"] as? String)
            try await assertEqual(try await other.call(.GET, "console/api/verifications/\(otherID)").status, .ok)
            let foreign = try await other.call(.GET, "console/api/verifications/\(decidedID)")
            XCTAssertEqual(foreign.status, .notFound, "\(backend)")
            XCTAssertEqual(foreign.code, 4004)
            XCTAssertFalse(foreign.text.contains("u-3"))
            try await assertEqual(try await other.call(.GET, "console/api/verifications?externalUserId=u-3").items.count, 0)

            // Without verification.read: 4003 on both.
            let reviewers = try await admin.call(.POST, "console/api/roles", json: ["name": "Call log only", "organisationId": admin.organisationID, "permissions": ["log.read"]])
            XCTAssertEqual(reviewers.status, .ok, reviewers.text)
            try await assertEqual(try await admin.call(.POST, "console/api/users", json: [
                "username": "reader", "displayName": "Reader", "password": "Initial-pass-1", "organisationId": admin.organisationID,
                "roleIds": [reviewers.object["id"] as? String ?? ""]]).status, .ok)
            var reader = ConsoleClient(app: server.app)
            try await assertEqual(try await reader.login("reader", "Initial-pass-1").0, .ok)
            try await assertEqual(try await reader.call(.GET, "console/api/calls").status, .ok)
            try await assertEqual(try await reader.call(.GET, "console/api/verifications").code, 4003)
            try await assertEqual(try await reader.call(.GET, "console/api/verifications/\(decidedID)").code, 4003)
        }
    }

    /// A database made before `verification.read` existed: its built-in roles get it.
    func testBuiltInRolesOfAnOlderDatabaseGetTheNewPermission() async throws {
        try await TestPlatform.withServer { server in
            let roles = try await RoleModel.query(on: server.app.db).filter(\.$builtIn == true).all()
            XCTAssertEqual(roles.count, 3)
            for role in roles {
                role.permissions.removeAll { $0 == .verificationRead }
                try await role.save(on: server.app.db)
            }
            try await GrantVerificationRead().prepare(on: server.app.db)
            for role in try await RoleModel.query(on: server.app.db).filter(\.$builtIn == true).all() {
                XCTAssertTrue(role.permissions.contains(.verificationRead), role.name)
            }
        }
    }
}
