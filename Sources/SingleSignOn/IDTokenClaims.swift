import Foundation
import JWTKit

/// The ID token claims (OpenID Connect Core section 2) this client checks or reads.
struct IDTokenClaims: JWTIdentityToken {
    /// Tolerated difference between our clock and the provider's.
    static let clockSkewAllowance: TimeInterval = 60

    var issuer: IssuerClaim
    var subject: SubjectClaim
    var audience: AudienceClaim
    var expiration: ExpirationClaim
    var nonce: String?
    var preferredUsername: String?
    var name: String?
    var email: String?

    enum CodingKeys: String, CodingKey {
        case issuer = "iss"
        case subject = "sub"
        case audience = "aud"
        case expiration = "exp"
        case nonce
        case preferredUsername = "preferred_username"
        case name
        case email
    }

    /// Called by jwt-kit after the signature checks out; the audience is checked by jwt-kit
    /// too (`expectedAudience`), issuer and nonce by the client, which knows what to expect.
    func verify(using algorithm: some JWTAlgorithm) async throws {
        try expiration.verifyNotExpired(currentDate: Date().addingTimeInterval(-Self.clockSkewAllowance))
    }
}
