import FaceServices
import Platform
import Foundation
import TestSupport
import Vapor
import WebAPI
import XCTVapor

/// 50 compare requests at once over real HTTP on loopback: all answer, all correctly.
final class ConcurrentCompareTests: XCTestCase {
    func testFiftyConcurrentComparesAllAnswerCorrectly() async throws {
        try await TestPlatform.withServer { server in try await self.fiftyConcurrentCompares(server) }
    }

    func fiftyConcurrentCompares(_ server: TestPlatform) async throws {
        let app = server.app
        let credential = try await server.application().1
        // Fifty requests wait for connections and engines at once on a busy 2-core machine.
        app.http.client.configuration.timeout = .init(connect: .seconds(120), read: .seconds(120))
        app.http.client.configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 50)
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = 0
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        let port = try XCTUnwrap(app.http.server.shared.localAddress?.port)

        let obama = try TestData.bytes("faces/face_recognition_examples/examples/obama.jpg").base64EncodedString()
        let obama2 = try TestData.bytes("faces/face_recognition_examples/examples/obama2.jpg").base64EncodedString()
        let biden = try TestData.bytes("faces/face_recognition_examples/examples/biden.jpg").base64EncodedString()
        let client = app.client
        let results = try await withThrowingTaskGroup(of: (Bool, HTTPStatus, Float).self) { group in
            for i in 0..<50 {
                let same = i % 2 == 0
                group.addTask {
                    let body = try JSONEncoder().encode(["imageA": obama, "imageB": same ? obama2 : biden])
                    // Each request its own timestamp: two identical signed requests are one request replayed.
                    let headers = TestSigner.headers(for: credential, path: "/v1/faces/compare", body: body, host: "127.0.0.1:\(port)",
                                                     timestamp: Int(Date().timeIntervalSince1970) - i)
                    let response = try await client.post(URI(string: "http://127.0.0.1:\(port)/v1/faces/compare"), headers: headers) { req in
                        req.body = ByteBuffer(data: body)
                    }
                    let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body ?? ByteBuffer())) as? [String: Any]
                    return (same, response.status, (json?["score"] as? NSNumber)?.floatValue ?? -1)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(results.count, 50)
        for (same, status, score) in results {
            XCTAssertEqual(status, .ok)
            if same { XCTAssertGreaterThan(score, 70) } else { XCTAssertLessThan(score, 50); XCTAssertGreaterThanOrEqual(score, 0) }
        }
        await app.server.shutdown()
    }
}
