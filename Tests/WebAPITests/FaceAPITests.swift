import FaceServices
import Platform
import Foundation
import TestSupport
import Vapor
import WebAPI
import XCTVapor

final class FaceAPITests: XCTestCase {
    var server: TestPlatform!
    var credential: Credentials.Issued!
    var app: Application { server.app }

    override func setUp() async throws {
        server = try await TestPlatform.make()
        credential = try await server.application().1
    }

    override func tearDown() async throws {
        try await server.shutdown()
        server = nil
    }

    static let obama = "faces/face_recognition_examples/examples/obama.jpg"
    static let obama2 = "faces/face_recognition_examples/examples/obama2.jpg"
    static let biden = "faces/face_recognition_examples/examples/biden.jpg"

    static func base64(_ file: String) throws -> String { try TestData.bytes(file).base64EncodedString() }

    struct ErrorBody: Decodable {
        struct Detail: Decodable { var Code: Int; var Message: String }
        var RequestId: String
        var Error: Detail
    }

    func expectError(_ response: XCTHTTPResponse, status: HTTPStatus, code: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(response.status, status, response.body.string, file: file, line: line)
        let body = try response.content.decode(ErrorBody.self)
        XCTAssertEqual(body.Error.Code, code, body.Error.Message, file: file, line: line)
        XCTAssertFalse(body.RequestId.isEmpty, file: file, line: line)
        XCTAssertEqual(response.headers.first(name: "X-Request-Id"), body.RequestId, file: file, line: line)
    }

    func testDetectWithJSONBase64() async throws {
        let body: [String: AnyEncodable] = ["image": .init(try Self.base64(Self.obama)), "withQuality": .init(true), "withAttributes": .init(true)]
        try await app.signedTest(.POST, "v1/faces/detect", credential: credential, beforeRequest: { try $0.content.encode(body, as: .json) }) { res async throws in
            XCTAssertEqual(res.status, .ok, res.body.string)
            let json = try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as! [String: Any]
            XCTAssertNotNil(json["RequestId"] as? String)
            let faces = try XCTUnwrap(json["faces"] as? [[String: Any]])
            XCTAssertEqual(faces.count, 1)
            XCTAssertEqual((faces[0]["keyPoints"] as? [Any])?.count, 5)
            XCTAssertNotNil((faces[0]["quality"] as? [String: Any])?["overall"])
            let attributes = try XCTUnwrap(faces[0]["attributes"] as? [String: Any])
            XCTAssertEqual(attributes["gender"] as? String, "male")
            XCTAssertTrue((attributes["unavailable"] as? [String])?.contains("mask") ?? false)
        }
    }

    struct MultipartDetect: Content {
        var image: File
        var maxFaces: Int
    }

    func testDetectWithMultipartUpload() async throws {
        let file = File(data: ByteBuffer(data: try TestData.bytes("faces/face_recognition_examples/examples/two_people.jpg")), filename: "two.jpg")
        try await app.signedTest(.POST, "v1/faces/detect", credential: credential, beforeRequest: {
            try $0.content.encode(MultipartDetect(image: file, maxFaces: 5), as: .formData)
        }) { res async throws in
            XCTAssertEqual(res.status, .ok, res.body.string)
            let json = try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as! [String: Any]
            XCTAssertEqual((json["faces"] as? [Any])?.count, 2)
        }
    }

    func testAnalyzeReturnsMeshAndPose() async throws {
        try await app.signedTest(.POST, "v1/faces/analyze", credential: credential, beforeRequest: { try $0.content.encode(["image": try Self.base64(Self.biden)], as: .json) }) { res async throws in
            XCTAssertEqual(res.status, .ok, res.body.string)
            let json = try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as! [String: Any]
            let face = try XCTUnwrap((json["faces"] as? [[String: Any]])?.first)
            XCTAssertEqual((face["mesh"] as? [Any])?.count, 478)
            XCTAssertNotNil(face["headPose"] as? [String: Any])
            XCTAssertEqual(face["landmarkModel"] as? String, "mediapipe-face-mesh")
        }
    }

    func compare(_ a: String, _ b: String) async throws -> Float {
        var score: Float = -1
        let body = ["imageA": try Self.base64(a), "imageB": try Self.base64(b)]
        try await app.signedTest(.POST, "v1/faces/compare", credential: credential, beforeRequest: { try $0.content.encode(body, as: .json) }) { res async throws in
            XCTAssertEqual(res.status, .ok, res.body.string)
            let json = try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as! [String: Any]
            score = (json["score"] as? NSNumber)?.floatValue ?? -1
            XCTAssertEqual((json["thresholds"] as? [String: NSNumber])?["1e-4"], 70)
        }
        return score
    }

    func testCompareScoresTheSamePersonHighAndDifferentPeopleLow() async throws {
        let same = try await compare(Self.obama, Self.obama2)
        let different = try await compare(Self.obama, Self.biden)
        XCTAssertGreaterThan(same, 70)
        XCTAssertLessThan(different, 50)
    }

    func testBadInputGetsClearCodes() async throws {
        // Malformed JSON.
        try await app.signedTest(.POST, "v1/faces/detect", credential: credential, headers: ["Content-Type": "application/json"], body: ByteBuffer(string: "{\"image\": ")) { res async throws in
            try self.expectError(res, status: .badRequest, code: 4000)
        }
        // Missing image.
        try await app.signedTest(.POST, "v1/faces/detect", credential: credential, beforeRequest: { try $0.content.encode(["maxFaces": 3], as: .json) }) { res async throws in
            try self.expectError(res, status: .badRequest, code: 4000)
        }
        // Not base64, and base64 of something that is not an image.
        try await app.signedTest(.POST, "v1/faces/detect", credential: credential, beforeRequest: { try $0.content.encode(["image": "%%%"], as: .json) }) { res async throws in
            try self.expectError(res, status: .badRequest, code: 2004)
        }
        try await app.signedTest(.POST, "v1/faces/detect", credential: credential, beforeRequest: { try $0.content.encode(["image": Data("<script>alert(1)</script>".utf8).base64EncodedString()], as: .json) }) { res async throws in
            try self.expectError(res, status: .badRequest, code: 2004)
        }
        // Wrong parameter values and types.
        try await app.signedTest(.POST, "v1/faces/detect", credential: credential, beforeRequest: {
            try $0.content.encode(["image": AnyEncodable(try Self.base64(Self.obama)), "maxFaces": AnyEncodable(1000)], as: .json)
        }) { res async throws in try self.expectError(res, status: .badRequest, code: 4000) }
        try await app.signedTest(.POST, "v1/faces/detect", credential: credential, beforeRequest: {
            try $0.content.encode(["image": AnyEncodable(try Self.base64(Self.obama)), "qualityControl": AnyEncodable("extreme")], as: .json)
        }) { res async throws in try self.expectError(res, status: .badRequest, code: 4000) }
        // A body over the limit.
        try await app.signedTest(.POST, "v1/faces/detect", credential: credential, headers: ["Content-Type": "application/json"],
                           body: ByteBuffer(repeating: UInt8(ascii: "a"), count: 17 * 1024 * 1024)) { res async throws in
            try self.expectError(res, status: .payloadTooLarge, code: 2004)
        }
        // Neither JSON nor multipart.
        try await app.signedTest(.POST, "v1/faces/detect", credential: credential, headers: ["Content-Type": "text/plain"], body: ByteBuffer(string: "hello")) { res async throws in
            try self.expectError(res, status: .unsupportedMediaType, code: 4015)
        }
        // No face to compare.
        let body = ["imageA": try Self.base64(Self.obama), "imageB": try Self.base64("no_face/scikit_image_data/coffee.png")]
        try await app.signedTest(.POST, "v1/faces/compare", credential: credential, beforeRequest: { try $0.content.encode(body, as: .json) }) { res async throws in
            try self.expectError(res, status: .unprocessableEntity, code: 1004)
        }
        try await app.test(.GET, "v1/nothing-here") { res async throws in try self.expectError(res, status: .notFound, code: 4004) }
    }

    func testHealthReadinessAndOpenAPI() async throws {
        try await app.test(.GET, "healthz") { res async throws in XCTAssertEqual(res.status, .ok) }
        try await app.test(.GET, "readyz") { res async throws in
            XCTAssertEqual(res.status, .ok)
            XCTAssertTrue(res.body.string.contains("ready"))
        }
        try await app.test(.GET, "openapi.json") { res async throws in
            XCTAssertEqual(res.status, .ok)
            let document = try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as! [String: Any]
            XCTAssertTrue((document["openapi"] as? String)?.hasPrefix("3.") ?? false)
            let paths = try XCTUnwrap(document["paths"] as? [String: Any])
            for path in ["/v1/faces/detect", "/v1/faces/analyze", "/v1/faces/compare", "/healthz", "/readyz",
                         "/v1/groups", "/v1/groups/{groupId}", "/v1/persons", "/v1/persons/{personId}", "/v1/persons/{personId}/faces",
                         "/v1/search", "/v1/verify", "/v1/faces/liveness"] {
                XCTAssertNotNil(paths[path], path)
            }
        }
    }
}

/// Lets a test build JSON bodies with mixed value types.
struct AnyEncodable: Encodable {
    let encodeValue: (any Encoder) throws -> Void
    init<T: Encodable>(_ value: T) { encodeValue = value.encode }
    func encode(to encoder: any Encoder) throws { try encodeValue(encoder) }
}
