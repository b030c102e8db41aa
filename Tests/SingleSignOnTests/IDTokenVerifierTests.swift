import Foundation
import JWTKit
import XCTest

@testable import SingleSignOn

/// ID token checks with keys made here, covering what the mock provider cannot produce:
/// ES256 signatures, foreign audiences, expiry, forged signatures and symmetric algorithms.
final class IDTokenVerifierTests: XCTestCase {
    private let issuer = "https://idp.example.org"
    private let verifier = IDTokenVerifier(clientID: "veriface", expectedIssuer: "https://idp.example.org")

    private func claims(audience: [String] = ["veriface"], issuer: String? = nil, expiresIn seconds: TimeInterval = 300, nonce: String? = "n-1") -> IDTokenClaims {
        IDTokenClaims(
            issuer: IssuerClaim(value: issuer ?? self.issuer), subject: "user-42", audience: AudienceClaim(value: audience),
            expiration: ExpirationClaim(value: Date().addingTimeInterval(seconds)), nonce: nonce,
            preferredUsername: "alice", name: "Alice Liu", email: "alice@veriface.test")
    }

    /// A provider's key pair: the signing side and the JWKS document it would publish.
    private func ecdsaProvider(kid: String = "ec-1") async throws -> (signer: JWTKeyCollection, keys: OIDCSigningKeys) {
        let privateKey = ES256PrivateKey()
        let parameters = try XCTUnwrap(privateKey.parameters)
        let signer = await JWTKeyCollection().add(ecdsa: privateKey, kid: JWKIdentifier(string: kid))
        let jwks = """
            {"keys": [
              {"kty": "oct", "kid": "shared", "k": "c2VjcmV0"},
              {"kty": "RSA", "kid": "enc-1", "use": "enc", "n": "AQAB", "e": "AQAB"},
              {"kty": "EC", "kid": "\(kid)", "use": "sig", "crv": "P-256", "alg": "ES256", "x": "\(parameters.x)", "y": "\(parameters.y)"}
            ]}
            """
        return (signer, try await OIDCSigningKeys(jwks: Data(jwks.utf8)))
    }

    func testES256TokenIsAccepted() async throws {
        let (signer, keys) = try await ecdsaProvider()
        XCTAssertEqual(keys.keyIDs, ["ec-1"])
        let token = try await signer.sign(claims())
        let verified = try await verifier.verify(token, keys: keys, expectedNonce: "n-1")
        XCTAssertEqual(verified.subject.value, "user-42")
        XCTAssertEqual(verified.preferredUsername, "alice")
    }

    func testForeignAudienceIsRefused() async throws {
        let (signer, keys) = try await ecdsaProvider()
        for audience in [["another-app"], ["veriface", "untrusted-extra"]] {
            let token = try await signer.sign(claims(audience: audience))
            await assertRefused(token, keys: keys)
        }
    }

    func testExpiredTokenIsRefused() async throws {
        let (signer, keys) = try await ecdsaProvider()
        await assertRefused(try await signer.sign(claims(expiresIn: -3600)), keys: keys)
    }

    func testOtherIssuerIsRefused() async throws {
        let (signer, keys) = try await ecdsaProvider()
        await assertRefused(try await signer.sign(claims(issuer: "https://evil.example.org")), keys: keys)
    }

    func testMissingOrWrongNonceIsRefused() async throws {
        let (signer, keys) = try await ecdsaProvider()
        await assertRefused(try await signer.sign(claims(nonce: nil)), keys: keys)
        await assertRefused(try await signer.sign(claims(nonce: "n-2")), keys: keys)
    }

    func testTokenFromAnotherKeyIsRefused() async throws {
        let (_, keys) = try await ecdsaProvider(kid: "ec-1")
        let (impostor, _) = try await ecdsaProvider(kid: "ec-1")
        await assertRefused(try await impostor.sign(claims()), keys: keys)
    }

    func testTamperedPayloadIsRefused() async throws {
        let (signer, keys) = try await ecdsaProvider()
        let parts = try await signer.sign(claims()).split(separator: ".").map(String.init)
        var payload = try XCTUnwrap(Data(base64URLEncoded: parts[1]))
        payload = Data(String(decoding: payload, as: UTF8.self).replacingOccurrences(of: "user-42", with: "user-43").utf8)
        let forged = [parts[0], PKCE.base64URL(payload), parts[2]].joined(separator: ".")
        await assertRefused(forged, keys: keys)
    }

    /// An HMAC token would be "signed" with a secret the attacker may know (or the public key
    /// bytes, in the classic algorithm-confusion attack); only asymmetric algorithms pass.
    func testSymmetricAndUnsignedTokensAreRefused() async throws {
        let (_, keys) = try await ecdsaProvider()
        let hmac = await JWTKeyCollection().add(hmac: "a-shared-secret-of-thirty-two-by", digestAlgorithm: .sha256, kid: "ec-1")
        await assertRefused(try await hmac.sign(claims()), keys: keys)
        let header = PKCE.base64URL(Data(#"{"alg":"none"}"#.utf8))
        let payload = PKCE.base64URL(try JSONEncoder().encode(claims()))
        await assertRefused("\(header).\(payload).", keys: keys)
    }

    func testJWKSWithoutUsableKeysIsRejected() async {
        do {
            _ = try await OIDCSigningKeys(jwks: Data(#"{"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}"#.utf8))
            XCTFail("a key set without signature keys was accepted")
        } catch OIDCError.discoveryFailed {
        } catch {
            XCTFail("\(error)")
        }
    }

    private func assertRefused(_ token: String, keys: OIDCSigningKeys, line: UInt = #line) async {
        do {
            let claims = try await verifier.verify(token, keys: keys, expectedNonce: "n-1")
            XCTFail("accepted \(claims)", line: line)
        } catch .invalidIDToken {
        } catch {
            XCTFail("unexpected \(error)", line: line)
        }
    }
}

final class PKCEAndFormEncodingTests: XCTestCase {
    /// RFC 7636 appendix B.
    func testS256ChallengeMatchesTheRFCExample() {
        XCTAssertEqual(
            PKCE.challenge(for: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    }

    func testVerifiersAreLongUnreservedAndUnique() {
        let verifiers = (0..<100).map { _ in PKCE.makeCodeVerifier() }
        XCTAssertEqual(Set(verifiers).count, 100)
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        for verifier in verifiers {
            XCTAssertTrue((43...128).contains(verifier.count))
            XCTAssertTrue(verifier.allSatisfy(allowed.contains))
        }
    }

    func testFormEncodingEscapesAllButUnreserved() {
        XCTAssertEqual(
            FormEncoding.encode([("redirect_uri", "http://x/cb?a=1&b=2"), ("scope", "openid email"), ("n", "刘+~")]),
            "redirect_uri=http%3A%2F%2Fx%2Fcb%3Fa%3D1%26b%3D2&scope=openid%20email&n=%E5%88%98%2B~")
    }

    func testSettingsFromEnvironment() {
        XCTAssertNil(OIDCSettings.fromEnvironment(["VERIFACE_OIDC_ISSUER": "https://idp"]))
        let settings = OIDCSettings.fromEnvironment([
            "VERIFACE_OIDC_ISSUER": "https://idp.example.org", "VERIFACE_OIDC_CLIENT_ID": "veriface",
        ])
        XCTAssertEqual(settings?.scopes, ["openid", "profile", "email"])
        XCTAssertNil(settings?.clientSecret)
        let withSecret = OIDCSettings.fromEnvironment([
            "VERIFACE_OIDC_ISSUER": "https://idp.example.org", "VERIFACE_OIDC_CLIENT_ID": "veriface",
            "VERIFACE_OIDC_CLIENT_SECRET": "s", "VERIFACE_OIDC_SCOPES": "profile groups",
        ])
        XCTAssertEqual(withSecret?.clientSecret, "s")
        XCTAssertEqual(withSecret?.scopes, ["openid", "profile", "groups"])
    }
}
