import Foundation
import JWTKit

/// Checks an ID token as OpenID Connect Core section 3.1.3.7 asks: signature, audience,
/// expiry, issuer and nonce.
struct IDTokenVerifier: Sendable {
    var clientID: String
    var expectedIssuer: String

    func verify(_ idToken: String, keys: OIDCSigningKeys, expectedNonce: String) async throws(OIDCError) -> IDTokenClaims {
        _ = try IDTokenHeader(token: idToken)
        let claims: IDTokenClaims
        do {
            claims = try await keys.collection.verify(idToken, as: IDTokenClaims.self, expectedAudience: clientID)
        } catch {
            throw .invalidIDToken("\(error)")
        }
        guard claims.issuer.value == expectedIssuer else {
            throw .invalidIDToken("issued by \(claims.issuer.value), expected \(expectedIssuer)")
        }
        guard let nonce = claims.nonce, ConstantTime.equals(nonce, expectedNonce) else {
            throw .invalidIDToken("the nonce does not match this login")
        }
        return claims
    }
}

/// The JOSE header fields needed before verification.
struct IDTokenHeader: Decodable {
    /// Asymmetric algorithms only: HS256 would let anyone holding the client secret mint
    /// tokens, and "none" needs no key at all.
    static let acceptedAlgorithms: Set<String> = [
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA",
    ]

    var alg: String
    var kid: String?

    init(token: String) throws(OIDCError) {
        guard let encodedHeader = token.split(separator: ".", omittingEmptySubsequences: false).first,
            let data = Data(base64URLEncoded: String(encodedHeader)),
            let header = try? JSONDecoder().decode(Self.self, from: data)
        else { throw .invalidIDToken("the ID token is not a JWT") }
        guard Self.acceptedAlgorithms.contains(header.alg) else {
            throw .invalidIDToken("the ID token uses the unacceptable algorithm \(header.alg)")
        }
        self = header
    }
}

extension Data {
    init?(base64URLEncoded text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        self.init(base64Encoded: base64)
    }
}
