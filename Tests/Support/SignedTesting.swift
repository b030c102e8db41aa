import Foundation
import Platform
import XCTVapor

extension XCTApplicationTester {
    /// `test` with the request signed (TC3-HMAC-SHA256) by `credential` after `beforeRequest`
    /// has set its body, as a real integrator's client would.
    @discardableResult
    public func signedTest(
        _ method: HTTPMethod, _ path: String, credential: Credentials.Issued, headers: HTTPHeaders = [:], body: ByteBuffer? = nil,
        file: StaticString = #filePath, line: UInt = #line,
        beforeRequest: (inout XCTHTTPRequest) async throws -> Void = { _ in },
        afterResponse: (XCTHTTPResponse) async throws -> Void = { _ in }
    ) async throws -> XCTApplicationTester {
        try await test(method, path, headers: headers, body: body, file: file, line: line, beforeRequest: { request in
            try await beforeRequest(&request)
            let contentType = request.headers.first(name: .contentType) ?? "application/json"
            let signed = TestSigner.headers(for: credential, path: "/" + path, body: Data(buffer: request.body), contentType: contentType)
            for (name, value) in signed { request.headers.replaceOrAdd(name: name, value: value) }
        }, afterResponse: afterResponse)
    }
}

extension XCTApplicationTester {
    /// `signedTest` for a request whose headers and body are given directly.
    @discardableResult
    public func signedTest(
        _ method: HTTPMethod, _ path: String, credential: Credentials.Issued, headers: HTTPHeaders = [:], body: ByteBuffer? = nil,
        file: StaticString = #filePath, line: UInt = #line,
        afterResponse: (XCTHTTPResponse) async throws -> Void
    ) async throws -> XCTApplicationTester {
        try await signedTest(method, path, credential: credential, headers: headers, body: body, file: file, line: line,
                             beforeRequest: { _ in }, afterResponse: afterResponse)
    }
}

/// `XCTAssertEqual` for values that need `await` to compute.
public func assertEqual<T: Equatable>(_ value: @autoclosure () async throws -> T, _ expected: T, _ message: String = "",
                                      file: StaticString = #filePath, line: UInt = #line) async throws {
    let actual = try await value()
    XCTAssertEqual(actual, expected, message, file: file, line: line)
}
