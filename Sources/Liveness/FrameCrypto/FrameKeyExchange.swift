import Crypto
import Foundation

/// The server's half of a session's key agreement: an ephemeral P-256 key pair whose public
/// key goes to the page (`serverPublicKey`), and the derivation of the frame key from the
/// page's public key (docs/h5-protocol.md section 3). The page does the same with WebCrypto
/// (Web/h5/frame-crypto.js); FrameCryptoKnownAnswerTests pins both to one vector.
public struct FrameKeyExchange: Sendable {
    /// HKDF info; a new layout or algorithm gets a new label so keys can never be confused.
    static let info = Data("veriface-h5-frames-v1".utf8)
    /// An uncompressed SEC1 point: 0x04, X, Y.
    static let rawPointLength = 65

    private let privateKey: P256.KeyAgreement.PrivateKey

    public init() {
        self.init(privateKey: P256.KeyAgreement.PrivateKey())
    }

    /// A fixed key pair, for known-answer tests and tools; sessions use `init()`.
    public init(privateKey: P256.KeyAgreement.PrivateKey) {
        self.privateKey = privateKey
    }

    public var publicKeyRaw: Data {
        privateKey.publicKey.x963Representation
    }

    /// ECDH with the page's key, then HKDF-SHA256 (salt: the session id, so two sessions that
    /// somehow shared a key pair would still get different frame keys).
    public func cipher(clientPublicKeyRaw: Data, sessionId: String) throws -> FrameCipher {
        // Only the uncompressed form WebCrypto exports as 'raw'; the parser checks the point
        // is on the curve, which is what stops invalid-curve attacks on our private key.
        guard clientPublicKeyRaw.count == Self.rawPointLength, clientPublicKeyRaw.first == 0x04,
              let clientKey = try? P256.KeyAgreement.PublicKey(x963Representation: clientPublicKeyRaw),
              let shared = try? privateKey.sharedSecretFromKeyAgreement(with: clientKey)
        else {
            throw FrameRefusal.badHandshake
        }
        let key = shared.hkdfDerivedSymmetricKey(
            using: SHA256.self, salt: Data(sessionId.utf8), sharedInfo: Self.info, outputByteCount: 32)
        return FrameCipher(key: key)
    }
}
