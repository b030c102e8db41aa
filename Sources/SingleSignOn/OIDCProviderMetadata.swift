import Foundation

/// The parts of an OpenID Provider's discovery document (OpenID Connect Discovery 1.0
/// section 3) this client uses.
struct OIDCProviderMetadata: Decodable, Sendable {
    var issuer: String
    var authorizationEndpoint: URL
    var tokenEndpoint: URL
    var jwksURI: URL

    enum CodingKeys: String, CodingKey {
        case issuer
        case authorizationEndpoint = "authorization_endpoint"
        case tokenEndpoint = "token_endpoint"
        case jwksURI = "jwks_uri"
    }

    static func discoveryURL(for issuer: URL) -> URL {
        var text = issuer.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        return URL(string: text + "/.well-known/openid-configuration")!
    }

    /// Discovery section 4.3: the document must name the issuer it was fetched for, or a
    /// provider could vouch for tokens of another. Only a trailing slash may differ.
    func matches(configuredIssuer: URL) -> Bool {
        func trimmed(_ text: String) -> Substring {
            var text = Substring(text)
            while text.hasSuffix("/") { text.removeLast() }
            return text
        }
        return trimmed(issuer) == trimmed(configuredIssuer.absoluteString)
    }
}
