import Crypto
import Foundation
import Liveness
import XCTest

/// Pins the key derivation and envelope layout to a vector computed independently of
/// swift-crypto: with pyca/cryptography 50 (the integration test venv), by
///
///     server = ec.derive_private_key(SERVER_D, SECP256R1()); client = ... CLIENT_D
///     shared = client.exchange(ECDH(), server.public_key())
///     key    = HKDF(SHA256(), 32, salt=SESSION_ID.encode(), info=b"veriface-h5-frames-v1").derive(shared)
///     header = (1).to_bytes(8, "big") + (1795000000000).to_bytes(8, "big")
///     envelope = header + AESGCM(key).encrypt(b"VFH5" + (1).to_bytes(8, "big"), PAYLOAD, header)
///
/// and the HKDF step again with `openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt hexkey:SHARED
/// -kdfopt salt:SESSION_ID -kdfopt info:veriface-h5-frames-v1 HKDF` (same key). The same
/// vector is hard-coded in Tests/Integration/test_h5_crypto.py, which runs the page's
/// Web/h5/frame-crypto.js in Chromium: both sides produce these exact bytes.
enum FrameCryptoVector {
    static let serverPrivateScalar = "7d3b5b0c2b7f3c4a1e9d8f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e0f1a2b3c"
    static let serverPublicRaw = "0457899e5c5d959d741d56a498c0b1ed07e0ccbe732eccde51feeb480c049e7710"
        + "c4f671bee551e117d4c3fecfdd270fdcf75cc9ff0c2ab42bd6892a25d8b9777c"
    static let clientPrivateScalar = "1c2b3a4958677685940a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60"
    static let clientPublicRaw = "04949e1945291d48893d52f60ed07decad3da8bc3ee20334c8ded705a9a15f1f64"
        + "650f170d603e947072901340ff6269519c5fbb4b5631f48ec8bd52f2797636ed"
    static let sessionId = "0123456789abcdef0123456789abcdef"
    static let key = "6a7da1f12c392ed5bbb77fea5fb4c2ff646381113cd58dd1160d7325db755609"
    static let payload = "ffd8ffe07665726966616365206b6e6f776e20616e73776572ffd9"
    static let counter: UInt64 = 1
    static let captureMillis: UInt64 = 1_795_000_000_000
    static let envelope = "0000000000000001000001a1ee565e00"
        + "27a28de091b835ed0941b6a38e34254e2388b513d5337e44c15cddcf78381de779685236e06c4e8f51b674"
}

final class FrameCryptoKnownAnswerTests: XCTestCase {
    typealias V = FrameCryptoVector

    private func server() throws -> FrameKeyExchange {
        FrameKeyExchange(privateKey: try P256.KeyAgreement.PrivateKey(rawRepresentation: Data(frameCryptoHex: V.serverPrivateScalar)))
    }

    func testServerPublicKeyIsTheRawUncompressedPoint() throws {
        XCTAssertEqual(try server().publicKeyRaw.frameCryptoHex, V.serverPublicRaw)
        XCTAssertEqual(FrameKeyExchange().publicKeyRaw.count, 65)
    }

    func testDerivedCipherOpensTheKnownEnvelope() throws {
        let cipher = try server().cipher(clientPublicKeyRaw: Data(frameCryptoHex: V.clientPublicRaw), sessionId: V.sessionId)
        let opened = try cipher.open(Data(frameCryptoHex: V.envelope))
        XCTAssertEqual(opened.counter, V.counter)
        XCTAssertEqual(opened.captureMillis, V.captureMillis)
        XCTAssertEqual(opened.payload.frameCryptoHex, V.payload)
    }

    func testSealingReproducesTheKnownEnvelopeByteForByte() throws {
        // The derived key itself, via the cipher built from it.
        let cipher = FrameCipher(key: SymmetricKey(data: Data(frameCryptoHex: V.key)))
        let sealed = try cipher.seal(Data(frameCryptoHex: V.payload), counter: V.counter, captureMillis: V.captureMillis)
        XCTAssertEqual(sealed.frameCryptoHex, V.envelope)

        let derived = try server().cipher(clientPublicKeyRaw: Data(frameCryptoHex: V.clientPublicRaw), sessionId: V.sessionId)
        XCTAssertEqual(try derived.seal(Data(frameCryptoHex: V.payload), counter: V.counter, captureMillis: V.captureMillis).frameCryptoHex,
                       V.envelope)
    }

    func testTheClientSideOfTheAgreementDerivesTheSameKey() throws {
        // ECDH is symmetric: the page's key pair with the server's public key gives the same cipher.
        let client = FrameKeyExchange(privateKey: try P256.KeyAgreement.PrivateKey(rawRepresentation: Data(frameCryptoHex: V.clientPrivateScalar)))
        XCTAssertEqual(client.publicKeyRaw.frameCryptoHex, V.clientPublicRaw)
        let cipher = try client.cipher(clientPublicKeyRaw: Data(frameCryptoHex: V.serverPublicRaw), sessionId: V.sessionId)
        XCTAssertEqual(try cipher.seal(Data(frameCryptoHex: V.payload), counter: 1, captureMillis: V.captureMillis).frameCryptoHex, V.envelope)
    }
}
