import Foundation
import Liveness
import TestSupport
import XCTVapor

/// The H5 page's recorded-video downgrade (POST /h5/api/video, docs/h5-protocol.md
/// section 5) with a scripted page: the video must be sealed with the prepared session's
/// key, once; a bad envelope or a bad video is a failed attempt with its code, a huge upload
/// is refused before it costs an attempt, and a real clip of the challenged action passes
/// with the similarity of its best frame to the reference.
final class RecordedAttemptTests: XCTestCase {
    static let d18 = "videos/liveportrait/driving_d18.mp4"

    func testRecordedUploadsAreBoundToTheSessionAndAnalysedLikeAStream() async throws {
        let clip = try Data(contentsOf: TestData.url(Self.d18))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("recorded-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let photo = folder.appendingPathComponent("reference.jpg")
        try ffmpeg(["-ss", "1.0", "-i", TestData.url(Self.d18).path, "-frames:v", "1", photo.path])

        try await TestPlatform.withServer { server in
            let client = APIClient(server: server, credential: try await server.application().1)
            // d18 opens her mouth wide at 2.2 s.
            _ = try await client.call(.POST, "/v1/scenes", ["sceneId": "rec", "name": "Recorded", "actionPool": ["open_mouth"],
                                                            "actionCount": 1, "compareSource": "photo", "attemptLimit": 6,
                                                            "capture": "video"])
            let started = try await client.call(.POST, "/v1/verifications",
                                                ["sceneId": "rec", "image": try Data(contentsOf: photo).base64EncodedString()])
            let token = try XCTUnwrap(started.result["bizToken"] as? String, started.text)
            let page = try await h5Session(server, token)
            XCTAssertEqual(page["capture"] as? String, "video", "\(page)")
            XCTAssertEqual(page["recordSeconds"] as? Double, 3.5, "\(page)")

            // Refused before any attempt: no key, an empty body, a body over 10 MB.
            var answer = try await h5Upload(server, token, key: nil, body: Data([1, 2, 3]))
            XCTAssertEqual(answer.code, 4000, "\(answer.object)")
            answer = try await h5Upload(server, token, key: FrameKeyExchange().publicKeyRaw, body: Data())
            XCTAssertEqual(answer.code, 1101, "an empty upload: \(answer.object)")
            // (The size limit is the real server's: over loopback, not in memory.)
            let port = try await server.listen()
            var (key, envelope) = try await h5Sealed(server, token, Data(count: 10 * 1024 * 1024 + 100))
            let huge = try await server.app.client.post(URI(string: "http://127.0.0.1:\(port)/h5/api/video?token=\(token)"),
                                                        headers: ["X-Client-Key": key.base64EncodedString(),
                                                                  "Content-Type": "application/octet-stream"]) { request in
                request.body = ByteBuffer(data: envelope)
            }
            XCTAssertEqual(huge.status, .payloadTooLarge)
            answer = RecordedAnswer(status: huge.status, object: (try? JSONSerialization.jsonObject(with: Data(buffer: huge.body ?? ByteBuffer()))) as? [String: Any] ?? [:])
            XCTAssertEqual(answer.code, 1102, "\(answer.object)")

            // Failed attempts, each with its code: another session's key, a second message
            // of the session, bytes that are no video, the first third of the clip.
            let cases: [(String, Data, UInt64, Bool, Set<Int>)] = [
                ("another session's key", clip, 1, true, [4102]),
                ("a counter other than 1", clip, 2, false, [4104]),
                ("bytes that are no video", Data("no video here".utf8), 1, false, [1101]),
                ("the first third of a clip", clip.prefix(clip.count / 3), 1, false, [1101, 1303]),
            ]
            for (what, video, counter, stranger, codes) in cases {
                (key, envelope) = try await h5Sealed(server, token, video, counter: counter, stranger: stranger)
                answer = try await h5Upload(server, token, key: key, body: envelope)
                XCTAssertEqual(answer.status, .ok, what)
                XCTAssertEqual(answer.object["passed"] as? Bool, false, what)
                XCTAssertTrue(codes.contains(answer.code ?? 0), "\(what): \(answer.object)")
            }
            // The same upload again: its session was used.
            answer = try await h5Upload(server, token, key: key, body: envelope)
            XCTAssertEqual(answer.code, 14, "\(answer.object)")

            (key, envelope) = try await h5Sealed(server, token, clip)
            answer = try await h5Upload(server, token, key: key, body: envelope)
            XCTAssertEqual(answer.code, 0, "\(answer.object)")
            XCTAssertEqual(answer.object["passed"] as? Bool, true)
            let record = try await client.call(.POST, "/v1/verifications/result", ["bizToken": token, "images": true])
            XCTAssertEqual(record.result["state"] as? String, "passed", record.text)
            XCTAssertEqual(record.result["attempts"] as? Int, 5)
            XCTAssertGreaterThan(record.result["similarity"] as? Double ?? 0, 80, record.text)
            XCTAssertEqual((record.result["detected"] as? [[String: Any]])?.compactMap { $0["action"] as? String }, ["open_mouth"])
            XCTAssertEqual(record.result["device"] as? [String: String], ["userAgent": "tests"])
            XCTAssertNotNil(record.result["bestFrame"] as? String, "the best frame is kept")
            XCTAssertFalse((record.result["auditFrames"] as? [String] ?? []).isEmpty, "audit frames are kept")
            answer = try await h5Upload(server, token, key: key, body: envelope)
            XCTAssertEqual(answer.code, 14, "a passed verification takes no more: \(answer.object)")
        }
    }

    /// Failed attempts are counted per device (address and browser) over all the
    /// application's verifications: past the scene's limit, no attempt starts (1007).
    func testADeviceThatFailsTooOftenIsStopped() async throws {
        try await TestPlatform.withServer { server in
            let client = APIClient(server: server, credential: try await server.application().1)
            _ = try await client.call(.POST, "/v1/scenes", ["sceneId": "d", "name": "Device", "actionPool": ["blink"], "actionCount": 1,
                                                            "deviceAttemptLimit": 2, "capture": "video"])
            var codes: [Int?] = []
            for _ in 0..<3 {
                let started = try await client.call(.POST, "/v1/verifications", ["sceneId": "d"])
                let token = try XCTUnwrap(started.result["bizToken"] as? String, started.text)
                let (key, envelope) = try await h5Sealed(server, token, Data("no video here".utf8))
                codes.append(try await h5Upload(server, token, key: key, body: envelope).code)
            }
            XCTAssertEqual(codes, [1101, 1101, 1007])
        }
    }
}
