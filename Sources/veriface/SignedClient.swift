import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import Platform

/// Sends TC3-signed JSON requests to a Veriface server, as an integrator's client would.
struct SignedClient {
    let base: URL
    let host: String
    let secretID: String
    let secretKey: String

    init(server: String, secretID: String, secretKey: String) throws {
        guard !secretID.isEmpty, !secretKey.isEmpty else {
            throw ValidationErrorText("set VERIFACE_SECRET_ID and VERIFACE_SECRET_KEY (an application's credential from the console)")
        }
        guard let base = URL(string: server), let host = base.host else { throw ValidationErrorText("--server is not a URL") }
        self.base = base
        self.host = base.port.map { "\(host):\($0)" } ?? host
        self.secretID = secretID
        self.secretKey = secretKey
    }

    /// The HTTP status and body of one signed request.
    func send(_ method: String = "POST", _ path: String, body: Data = Data(), action: String? = nil) async throws -> (status: UInt, body: String) {
        let contentType = "application/json; charset=utf-8"
        let timestamp = Int(Date().timeIntervalSince1970)
        let parts = path.split(separator: "?", maxSplits: 1).map(String.init)
        let signature = TC3Signature(method: method, canonicalURI: parts[0], canonicalQuery: parts.count > 1 ? parts[1] : "",
                                     headers: [("content-type", contentType), ("host", host)],
                                     payload: body, timestamp: timestamp, service: "iai")
        var request = HTTPClientRequest(url: base.absoluteString.trimmingCharacters(in: ["/"]) + path)
        request.method = .init(rawValue: method)
        request.headers.add(name: "Authorization", value: signature.authorization(secretID: secretID, secretKey: secretKey))
        request.headers.add(name: "Content-Type", value: contentType)
        request.headers.add(name: "Host", value: host)
        request.headers.add(name: "X-TC-Timestamp", value: String(timestamp))
        if let action { request.headers.add(name: "X-TC-Action", value: action) }
        request.body = .bytes(ByteBuffer(data: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        return (response.status.code, String(buffer: try await response.body.collect(upTo: 64 << 20)))
    }
}

struct ValidationErrorText: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
