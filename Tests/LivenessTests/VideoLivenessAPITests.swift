import Foundation
import TestSupport
import XCTVapor

/// LivenessCompare on real clips: the actions handed out by /v1/liveness/action-sequence,
/// done in the video in order, pass with the right similarity to a photo of the person;
/// the wrong order, and broken, short, tiny or huge uploads each get their code.
final class VideoLivenessAPITests: XCTestCase {
    static let d18 = "videos/liveportrait/driving_d18.mp4"

    func testActionSequenceAndCompareOnRealClipsAndBrokenUploads() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("video-liveness-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = TestData.url(Self.d18)
        let photo = folder.appendingPathComponent("reference.jpg")
        try ffmpeg(["-ss", "1.0", "-i", clip.path, "-frames:v", "1", photo.path])

        try await TestPlatform.withServer { server in
            let client = APIClient(server: server, credential: try await server.application().1)
            let drawn = try await client.call(.POST, "/v1/liveness/action-sequence", ["count": 3])
            XCTAssertEqual(drawn.status, .ok, drawn.text)
            let actions = try XCTUnwrap(drawn.result["actions"] as? [String])
            XCTAssertEqual(Set(actions).count, 3)
            try await assertEqual(try await client.call(.POST, "/v1/liveness/action-sequence", ["count": 5]).code, 4000)

            let video = try Data(contentsOf: clip).base64EncodedString()
            let image = try Data(contentsOf: photo).base64EncodedString()
            // d18 opens her mouth wide (2.2 s), then blinks (3.2 s).
            let pass = try await client.call(.POST, "/v1/liveness/compare",
                                             ["video": video, "image": image, "actions": ["open_mouth", "blink"]])
            print("d18 [open_mouth, blink] with a reference frame:", pass.text)
            XCTAssertEqual(pass.status, .ok, pass.text)
            XCTAssertEqual(pass.result["code"] as? Int, 0, pass.text)
            XCTAssertEqual(pass.result["passed"] as? Bool, true)
            XCTAssertGreaterThan(pass.result["similarity"] as? Double ?? 0, 80, pass.text)
            XCTAssertEqual((pass.result["detected"] as? [[String: Any]])?.compactMap { $0["action"] as? String }, ["open_mouth", "blink"])

            // Bound to the action-sequence call: its token stands for the actions, once, for
            // the application it was given to.
            var sequence = try await client.call(.POST, "/v1/liveness/action-sequence", ["count": 2, "actionPool": ["open_mouth", "blink"]])
            for _ in 0..<30 where sequence.result["actions"] as? [String] != ["open_mouth", "blink"] {
                sequence = try await client.call(.POST, "/v1/liveness/action-sequence", ["count": 2, "actionPool": ["open_mouth", "blink"]])
            }
            let token = try XCTUnwrap(sequence.result["sequenceToken"] as? String, sequence.text)
            let bound = try await client.call(.POST, "/v1/liveness/compare", ["video": video, "sequenceToken": token])
            XCTAssertEqual(bound.result["code"] as? Int, 0, bound.text)
            try await assertEqual(try await client.call(.POST, "/v1/liveness/compare", ["video": video, "sequenceToken": token]).code, 4000,
                                  "a token is used once")
            let outsider = APIClient(server: server, credential: try await server.application(in: try await server.newOrganisation()).1)
            let theirs = try await outsider.call(.POST, "/v1/liveness/action-sequence", ["count": 2])
            let foreign = try XCTUnwrap(theirs.result["sequenceToken"] as? String)
            try await assertEqual(try await client.call(.POST, "/v1/liveness/compare", ["video": video, "sequenceToken": foreign]).code, 4000,
                                  "another application's token")
            var forged = Data(base64Encoded: foreign)!
            forged[forged.count / 2] ^= 1
            try await assertEqual(try await outsider.call(.POST, "/v1/liveness/compare",
                                                          ["video": video, "sequenceToken": forged.base64EncodedString()]).code, 4000,
                                  "a changed token")

            // driving_d3 from 7.9 s after two seconds of its first frame held (the user settling):
            // she turns to her left (8.2-9.4 s, 25 degrees), then opens her mouth (10.0-11.8 s).
            // Asked the other way round, the clear turn betrays the recording.
            let d3 = folder.appendingPathComponent("d3.mp4")
            try ffmpeg(["-i", TestData.url("videos/liveportrait/driving_d3.mp4").path, "-filter_complex",
                        "[0:v]trim=start=7.9:end=7.95,setpts=PTS-STARTPTS,tpad=stop_mode=clone:stop_duration=2[a];"
                        + "[0:v]trim=start=7.9:end=11.8,setpts=PTS-STARTPTS[b];[a][b]concat=n=2:v=1:a=0[v]",
                        "-map", "[v]", "-an", d3.path])
            let turns = try Data(contentsOf: d3).base64EncodedString()
            let inOrder = try await client.call(.POST, "/v1/liveness/compare", ["video": turns, "actions": ["turn_left", "open_mouth"]])
            XCTAssertEqual(inOrder.result["code"] as? Int, 0, inOrder.text)
            let reversed = try await client.call(.POST, "/v1/liveness/compare", ["video": turns, "actions": ["open_mouth", "turn_left"]])
            XCTAssertEqual(reversed.result["code"] as? Int, 1301, reversed.text)
            XCTAssertEqual(reversed.result["passed"] as? Bool, false)
            try await assertEqual(try await client.call(.POST, "/v1/liveness/compare", ["video": video]).code, 4000, "actions are required")

            let short = folder.appendingPathComponent("short.mp4")
            try ffmpeg(["-i", clip.path, "-t", "1.2", "-an", short.path])
            let tiny = folder.appendingPathComponent("tiny.mp4")
            try ffmpeg(["-i", clip.path, "-vf", "scale=160:160", "-an", tiny.path])
            let full = try Data(contentsOf: clip)
            let truncated = full.prefix(full.count / 3)
            var huge = Data(count: 11 * 1024 * 1024)
            huge.withUnsafeMutableBytes { bytes in for i in stride(from: 0, to: bytes.count, by: 4096) { bytes[i] = UInt8(i / 4096 % 251) } }
            let cases: [(String, Data, Set<Int>)] = [
                ("a one-second clip", try Data(contentsOf: short), [1303]),
                ("a 160x160 clip", try Data(contentsOf: tiny), [1104]),
                ("a photo", try Data(contentsOf: photo), [1101]),
                ("bytes that are no video", Data("not a video at all".utf8), [1101]),
                ("nothing", Data(), [1101]),
                ("the first third of a clip", truncated, [1101, 1303]),
                ("11 MB", huge, [1102]),
            ]
            for (what, bytes, codes) in cases {
                let reply = try await client.call(.POST, "/v1/liveness/compare",
                                                  ["video": bytes.base64EncodedString(), "actions": ["blink"]])
                XCTAssertTrue(codes.contains(reply.code), "\(what): \(reply.text.prefix(300))")
            }
        }
    }
}
