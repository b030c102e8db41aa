import Crypto
import Foundation

/// Proof Key for Code Exchange (RFC 7636) and the other unguessable values of a login.
enum PKCE {
    /// 32 random bytes give the 43-character verifier RFC 7636 asks for at minimum.
    static func makeCodeVerifier() -> String {
        randomToken(byteCount: 32)
    }

    /// The S256 challenge: BASE64URL(SHA256(ASCII(verifier))).
    static func challenge(for verifier: String) -> String {
        base64URL(Data(SHA256.hash(data: Data(verifier.utf8))))
    }

    /// URL-safe random text; SystemRandomNumberGenerator reads the kernel's CSPRNG.
    static func randomToken(byteCount: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return base64URL(Data(bytes))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
