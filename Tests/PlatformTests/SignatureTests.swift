import Fluent
import Foundation
import Platform
import TestSupport
import XCTVapor

/// The /v1 face API accepts only correctly signed, fresh, first-time requests.
final class SignatureTests: XCTestCase {
    var server: TestPlatform!

    override func setUp() async throws { server = try await TestPlatform.make() }
    override func tearDown() async throws { try await server.shutdown() }

    static let path = "/v1/faces/detect"

    func body() throws -> Data {
        try JSONSerialization.data(withJSONObject: ["image": try TestData.bytes("faces/face_recognition_examples/examples/obama.jpg").base64EncodedString()])
    }

    func send(_ headers: HTTPHeaders, _ body: Data) async throws -> (HTTPStatus, Int) {
        var result: (HTTPStatus, Int) = (.ok, -1)
        try await server.app.test(.POST, Self.path, headers: headers, body: ByteBuffer(data: body)) { res async throws in
            let json = try? JSONSerialization.jsonObject(with: Data(buffer: res.body)) as? [String: Any]
            result = (res.status, ((json?["Error"] as? [String: Any])?["Code"] as? Int) ?? 0)
        }
        return result
    }

    func testSignedRequestIsAcceptedAndLogged() async throws {
        let (application, credential) = try await server.application()
        let body = try body()
        let (status, code) = try await send(TestSigner.headers(for: credential, path: Self.path, body: body), body)
        XCTAssertEqual(status, .ok)
        XCTAssertEqual(code, 0)
        let entries = try await CallLogModel.query(on: server.app.db).all()
        XCTAssertEqual(entries.count, 1)
        XCTAssertEqual(entries.first?.applicationID, application.id)
        XCTAssertEqual(entries.first?.code, 0)
        XCTAssertEqual(entries.first?.action, "CompareFace")  // the X-TC-Action the signer sent
    }

    func testUnsignedForgedExpiredReplayedAndUnknownAreRefused() async throws {
        let (application, credential) = try await server.application()
        let body = try body()

        var unsigned = TestSigner.headers(for: credential, path: Self.path, body: body)
        unsigned.remove(name: .authorization)
        try await assertEqual(try await send(unsigned, body).1, 4100)

        var garbage = unsigned
        garbage.add(name: .authorization, value: "Bearer something")
        try await assertEqual(try await send(garbage, body).1, 4100)

        // One changed character of the signature, and a body changed after signing.
        var forged = TestSigner.headers(for: credential, path: Self.path, body: body)
        let authorization = forged.first(name: .authorization)!
        let flipped = String(authorization.dropLast()) + (authorization.hasSuffix("0") ? "1" : "0")
        forged.replaceOrAdd(name: .authorization, value: flipped)
        try await assertEqual(try await send(forged, body).0, .unauthorized)
        try await assertEqual(try await send(forged, body).1, 4102)
        let tampered = try JSONSerialization.data(withJSONObject: ["image": "AAAA"])
        try await assertEqual(try await send(TestSigner.headers(for: credential, path: Self.path, body: body), tampered).1, 4102)

        // Signed with the wrong key.
        let wrongKey = Credentials.Issued(secretId: credential.secretId, secretKey: String(credential.secretKey.reversed()))
        try await assertEqual(try await send(TestSigner.headers(for: wrongKey, path: Self.path, body: body), body).1, 4102)

        // Ten minutes old, correctly signed.
        let old = Int(Date().timeIntervalSince1970) - 600
        try await assertEqual(try await send(TestSigner.headers(for: credential, path: Self.path, body: body, timestamp: old), body).1, 4103)

        // The same signed request twice.
        let once = TestSigner.headers(for: credential, path: Self.path, body: body)
        try await assertEqual(try await send(once, body).1, 0)
        try await assertEqual(try await send(once, body).1, 4104)

        // Unknown SecretId, then a disabled credential and a disabled application.
        let unknown = Credentials.Issued(secretId: "AKIDnotissued", secretKey: credential.secretKey)
        try await assertEqual(try await send(TestSigner.headers(for: unknown, path: Self.path, body: body), body).1, 4101)
        let row = try await XCTUnwrapAsync(try await CredentialModel.query(on: server.app.db).filter(\.$secretID == credential.secretId).first())
        row.status = CredentialStatus.disabled.rawValue
        try await row.save(on: server.app.db)
        try await assertEqual(try await send(TestSigner.headers(for: credential, path: Self.path, body: body), body).1, 4101)
        row.status = CredentialStatus.active.rawValue
        try await row.save(on: server.app.db)
        application.disabled = true
        try await application.save(on: server.app.db)
        try await assertEqual(try await send(TestSigner.headers(for: credential, path: Self.path, body: body), body).1, 4101)
    }

    func testAllowListAndQPSLimit() async throws {
        let (_, fenced) = try await server.application(ipAllowList: ["10.1.2.0/24"])
        let body = try body()
        let (status, code) = try await send(TestSigner.headers(for: fenced, path: Self.path, body: body), body)
        XCTAssertEqual(status, .forbidden)
        XCTAssertEqual(code, 4105)

        let (_, slow) = try await server.application(qps: 2)
        var codes: [Int] = []
        for i in 0..<6 {
            // Distinct timestamps keep each request a first use, not a replay.
            let headers = TestSigner.headers(for: slow, path: Self.path, body: body, timestamp: Int(Date().timeIntervalSince1970) - i)
            codes.append(try await send(headers, body).1)
        }
        XCTAssertTrue(codes.contains(18), "\(codes)")
        XCTAssertTrue(codes.contains(0), "\(codes)")
    }

    func testIPAllowListMatching() throws {
        let list = try IPAllowList(["10.0.0.0/8", "192.168.1.7", "2001:db8::/32"])
        XCTAssertTrue(list.allows("10.200.3.4"))
        XCTAssertTrue(list.allows("::ffff:10.1.1.1"))
        XCTAssertTrue(list.allows("192.168.1.7"))
        XCTAssertFalse(list.allows("192.168.1.8"))
        XCTAssertTrue(list.allows("2001:db8:1::5"))
        XCTAssertFalse(list.allows("2001:db9::1"))
        XCTAssertFalse(list.allows("not an address"))
        XCTAssertTrue(try IPAllowList([]).allows("203.0.113.9"))
        XCTAssertThrowsError(try IPAllowList(["10.0.0.0/33"]))
        XCTAssertThrowsError(try IPAllowList(["'; DROP TABLE applications; --"]))
    }

    func testAuthorizationHeaderParsing() {
        let header = "TC3-HMAC-SHA256 Credential=AKIDabc/2026-11-23/iai/tc3_request, SignedHeaders=content-type;host, Signature=" + String(repeating: "a", count: 64)
        let parsed = TC3Authorization(header: header)
        XCTAssertEqual(parsed?.secretID, "AKIDabc")
        XCTAssertEqual(parsed?.service, "iai")
        XCTAssertEqual(parsed?.signedHeaders, ["content-type", "host"])
        XCTAssertNil(TC3Authorization(header: "TC3-HMAC-SHA256 Credential=AKIDabc/2026-11-23/iai, SignedHeaders=host, Signature=00"))
        XCTAssertNil(TC3Authorization(header: "HMAC Credential=x"))
    }
}
