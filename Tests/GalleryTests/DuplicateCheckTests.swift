import Fluent
import Foundation
import Gallery
import Platform
import TestSupport
import XCTVapor

/// Duplicate checks: estimate, background run, results, isolation, and resuming after a restart.
final class DuplicateCheckTests: XCTestCase {
    static let examples = "faces/face_recognition_examples/examples/"

    func enrol(_ client: APIClient) async throws {
        _ = try await client.call(.POST, "/v1/groups", ["groupId": "g", "name": "G"])
        for (id, file) in [("obama", "obama.jpg"), ("obama-again", "obama2.jpg"), ("biden", "biden.jpg")] {
            let reply = try await client.call(.POST, "/v1/persons", ["groupId": "g", "personId": id, "personName": id, "image": try APIClient.image(Self.examples + file)])
            XCTAssertEqual(reply.status, .ok, reply.text)
        }
    }

    func testDuplicateCheckFindsTheSamePersonEnrolledTwice() async throws {
        try await TestPlatform.withServer { server in
            let client = APIClient(server: server, credential: try await server.application().1)
            try await self.enrol(client)
            let estimate = try await client.call(.POST, "/v1/jobs/duplicates/estimate", ["groupIds": ["g"]])
            XCTAssertEqual(estimate.result["faces"] as? Int, 3, estimate.text)
            XCTAssertEqual(estimate.result["comparisons"] as? Int, 9)

            let started = try await client.call(.POST, "/v1/jobs/duplicates", ["groupIds": ["g"]])
            let jobID = try XCTUnwrap(started.result["jobId"] as? String, started.text)
            let finished = try await client.finishedJob(jobID)
            XCTAssertEqual(finished["state"] as? String, "done")
            XCTAssertEqual(finished["done"] as? Int, 3)
            let results = try await client.call(.GET, "/v1/jobs/\(jobID)/results")
            let pairs = results.object["items"] as? [[String: Any]] ?? []
            XCTAssertEqual(pairs.count, 1, results.text)
            XCTAssertEqual(pairs.first?["personA"] as? String, "obama")
            XCTAssertEqual(pairs.first?["personB"] as? String, "obama-again")
            XCTAssertGreaterThan(pairs.first?["score"] as? Double ?? 0, 80)

            // Another application cannot see or cancel the job.
            let outsider = APIClient(server: server, credential: try await server.application().1)
            try await assertEqual(try await outsider.call(.GET, "/v1/jobs/\(jobID)").code, 4004)
            try await assertEqual(try await outsider.call(.POST, "/v1/jobs/\(jobID)/cancel").code, 4004)
            try await assertEqual(try await outsider.call(.POST, "/v1/jobs/duplicates", ["groupIds": ["g"]]).code, 4004)
        }
    }

    func testAnUnfinishedJobResumesAfterARestart() async throws {
        let server = try await TestPlatform.make()
        let (application, credential) = try await server.application()
        let client = APIClient(server: server, credential: credential)
        try await enrol(client)
        // A job a previous process left running halfway, as a crash would leave it.
        let group = try await XCTUnwrapAsync(try await GroupModel.query(on: server.app.db).filter(\.$groupID == "g").first())
        let job = JobModel()
        job.organisationID = application.organisationID
        job.applicationID = try application.requireID()
        job.kind = "duplicates"
        job.state = JobState.running.rawValue
        job.parametersJSON = String(decoding: try JSONEncoder().encode(DuplicateCheck.Parameters(groupIds: ["g"], groupRows: [try group.requireID()], threshold: 80, modelVersion: group.modelVersion)), as: UTF8.self)
        job.done = 1
        job.total = 3
        job.resultCount = 0
        try await job.create(on: server.app.db)
        try await server.app.asyncShutdown()

        try await TestPlatform.reopen(server).closing { restarted in
            let again = APIClient(server: restarted, credential: credential)
            let finished = try await again.finishedJob(try job.requireID().uuidString)
            XCTAssertEqual(finished["state"] as? String, "done")
            XCTAssertEqual(finished["done"] as? Int, 3)
            XCTAssertGreaterThanOrEqual(finished["results"] as? Int ?? 0, 1)
        }
    }
}

func XCTUnwrapAsync<T>(_ value: @autoclosure () async throws -> T?, file: StaticString = #filePath, line: UInt = #line) async throws -> T {
    let v = try await value()
    return try XCTUnwrap(v, file: file, line: line)
}
