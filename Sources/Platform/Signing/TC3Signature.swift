import Crypto
import Foundation

/// Tencent Cloud's TC3-HMAC-SHA256 request signature, as its SDKs compute it:
/// a canonical request, a string to sign with the credential scope `date/service/tc3_request`,
/// and a key derived from the SecretKey by chained HMACs.
public struct TC3Signature: Sendable {
    public static let algorithm = "TC3-HMAC-SHA256"

    public var method: String
    public var canonicalURI: String
    public var canonicalQuery: String
    /// Lower-case header name → value, for the signed headers only.
    public var headers: [(name: String, value: String)]
    public var payload: Data
    public var timestamp: Int
    public var service: String

    public init(method: String, canonicalURI: String, canonicalQuery: String, headers: [(name: String, value: String)],
                payload: Data, timestamp: Int, service: String) {
        self.method = method
        self.canonicalURI = canonicalURI
        self.canonicalQuery = canonicalQuery
        self.headers = headers
        self.payload = payload
        self.timestamp = timestamp
        self.service = service
    }

    public var date: String { Self.utcDate(timestamp) }
    public var credentialScope: String { "\(date)/\(service)/tc3_request" }
    public var signedHeaders: String { headers.map(\.name).joined(separator: ";") }

    public var canonicalRequest: String {
        let canonicalHeaders = headers.map { "\($0.name):\($0.value.trimmingCharacters(in: .whitespaces).lowercased())\n" }.joined()
        return [method.uppercased(), canonicalURI, canonicalQuery, canonicalHeaders, signedHeaders,
                Self.hex(SHA256.hash(data: payload))].joined(separator: "\n")
    }

    public var stringToSign: String {
        [Self.algorithm, String(timestamp), credentialScope,
         Self.hex(SHA256.hash(data: Data(canonicalRequest.utf8)))].joined(separator: "\n")
    }

    public func signature(secretKey: String) -> String {
        let secretDate = Self.hmac(key: Data(("TC3" + secretKey).utf8), date)
        let secretService = Self.hmac(key: secretDate, service)
        let secretSigning = Self.hmac(key: secretService, "tc3_request")
        return Self.hex(Self.hmac(key: secretSigning, stringToSign))
    }

    public func authorization(secretID: String, secretKey: String) -> String {
        "\(Self.algorithm) Credential=\(secretID)/\(credentialScope), SignedHeaders=\(signedHeaders), Signature=\(signature(secretKey: secretKey))"
    }

    static func hmac(key: Data, _ message: String) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: key)))
    }

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    static func utcDate(_ timestamp: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: TimeInterval(timestamp)))
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }
}
