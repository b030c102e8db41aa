import Foundation

public struct OIDCSettings: Sendable, Equatable {
    /// The provider's issuer identifier; discovery reads `<issuer>/.well-known/openid-configuration`.
    public var issuer: URL
    public var clientID: String
    /// With a secret the client authenticates with HTTP Basic (client_secret_basic); without
    /// one it is a public client that relies on PKCE alone.
    public var clientSecret: String?
    public var scopes: [String]

    public init(issuer: URL, clientID: String, clientSecret: String? = nil, scopes: [String] = ["openid", "profile", "email"]) {
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        // Without "openid" the provider would run plain OAuth and return no ID token.
        self.scopes = scopes.contains("openid") ? scopes : ["openid"] + scopes
    }

    /// Reads `VERIFACE_OIDC_ISSUER`, `VERIFACE_OIDC_CLIENT_ID` and `VERIFACE_OIDC_CLIENT_SECRET`
    /// (optional), plus `VERIFACE_OIDC_SCOPES` (optional, space-separated). Nil when the issuer
    /// or the client ID is missing.
    public static func fromEnvironment(_ environment: [String: String]) -> OIDCSettings? {
        func value(_ name: String) -> String? {
            guard let trimmed = environment[name]?.trimmingCharacters(in: .whitespaces), !trimmed.isEmpty else { return nil }
            return trimmed
        }
        guard let issuerText = value("VERIFACE_OIDC_ISSUER"), let issuer = URL(string: issuerText),
            let clientID = value("VERIFACE_OIDC_CLIENT_ID")
        else { return nil }
        let scopes = value("VERIFACE_OIDC_SCOPES")?.split(separator: " ").map(String.init)
        return OIDCSettings(
            issuer: issuer, clientID: clientID, clientSecret: value("VERIFACE_OIDC_CLIENT_SECRET"),
            scopes: scopes ?? ["openid", "profile", "email"])
    }
}

/// Everything the caller must keep (typically in the user's session) between sending the
/// browser to the provider and handling its redirect back.
public struct OIDCAuthorizationRequest: Sendable, Codable, Equatable {
    /// Where to send the browser.
    public var url: URL
    public var state: String
    public var nonce: String
    public var codeVerifier: String
    public var redirectURI: String

    public init(url: URL, state: String, nonce: String, codeVerifier: String, redirectURI: String) {
        self.url = url
        self.state = state
        self.nonce = nonce
        self.codeVerifier = codeVerifier
        self.redirectURI = redirectURI
    }
}

public struct OIDCIdentity: Sendable, Equatable {
    public var subject: String
    /// The `preferred_username` claim.
    public var username: String?
    public var name: String?
    public var email: String?

    public init(subject: String, username: String?, name: String?, email: String?) {
        self.subject = subject
        self.username = username
        self.name = name
        self.email = email
    }
}

public enum OIDCError: Error, Sendable, Equatable {
    case discoveryFailed(String)
    case tokenExchangeFailed(String)
    case invalidIDToken(String)
    case stateMismatch
}
