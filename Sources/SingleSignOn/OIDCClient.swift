import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// The relying-party side of the OpenID Connect authorization code flow with PKCE.
public actor OIDCClient {
    public nonisolated let settings: OIDCSettings
    private let httpClient: HTTPClient
    private let logger: Logger
    private let requestTimeout: TimeAmount = .seconds(10)
    /// Providers' documents are small; anything bigger is refused rather than buffered.
    private let maximumResponseSize = 1 << 20
    /// Refetching keys on every token naming an unknown key would let anyone make us hammer
    /// the provider.
    private let minimumKeyRefreshInterval: Duration = .seconds(60)

    private var metadata: OIDCProviderMetadata?
    private var signingKeys: OIDCSigningKeys?
    private var signingKeysFetchedAt: ContinuousClock.Instant?

    public init(settings: OIDCSettings, httpClient: HTTPClient = .shared, logger: Logger = Logger(label: "veriface.sso.oidc")) {
        self.settings = settings
        self.httpClient = httpClient
        self.logger = logger
    }

    /// Fetches (and caches) the provider's discovery document and keys, then prepares a login
    /// with a fresh random state, nonce and PKCE code verifier (S256 challenge).
    public func authorizationRequest(redirectURI: String) async throws -> OIDCAuthorizationRequest {
        let metadata = try await providerMetadata()
        _ = try await currentSigningKeys()
        let state = PKCE.randomToken()
        let nonce = PKCE.randomToken()
        let codeVerifier = PKCE.makeCodeVerifier()
        let query = FormEncoding.encode([
            ("response_type", "code"),
            ("client_id", settings.clientID),
            ("redirect_uri", redirectURI),
            ("scope", settings.scopes.joined(separator: " ")),
            ("state", state),
            ("nonce", nonce),
            ("code_challenge", PKCE.challenge(for: codeVerifier)),
            ("code_challenge_method", "S256"),
        ])
        let endpoint = metadata.authorizationEndpoint.absoluteString
        let separator = endpoint.contains("?") ? "&" : "?"
        guard let url = URL(string: endpoint + separator + query) else {
            throw OIDCError.discoveryFailed("cannot build an authorization URL from \(endpoint)")
        }
        return OIDCAuthorizationRequest(url: url, state: state, nonce: nonce, codeVerifier: codeVerifier, redirectURI: redirectURI)
    }

    /// Exchanges the code at the token endpoint, verifies the ID token (signature against the
    /// provider's keys, iss, aud, exp, nonce) and returns who logged in. `returnedState` is the
    /// `state` parameter of the redirect, which must be the one `request` was made with.
    public func complete(request: OIDCAuthorizationRequest, code: String, returnedState: String) async throws -> OIDCIdentity {
        guard ConstantTime.equals(returnedState, request.state) else { throw OIDCError.stateMismatch }
        let metadata = try await providerMetadata()
        let idToken = try await exchange(code: code, for: request, at: metadata.tokenEndpoint)
        let verifier = IDTokenVerifier(clientID: settings.clientID, expectedIssuer: metadata.issuer)
        let claims = try await verifier.verify(idToken, keys: signingKeys(for: idToken), expectedNonce: request.nonce)
        logger.debug("OIDC login succeeded", metadata: ["subject": "\(claims.subject.value)"])
        return OIDCIdentity(
            subject: claims.subject.value, username: claims.preferredUsername, name: claims.name, email: claims.email)
    }

    // MARK: - Discovery and keys

    private func providerMetadata() async throws -> OIDCProviderMetadata {
        if let metadata { return metadata }
        let url = OIDCProviderMetadata.discoveryURL(for: settings.issuer)
        let body = try await get(url, failure: OIDCError.discoveryFailed)
        let fetched: OIDCProviderMetadata
        do {
            fetched = try JSONDecoder().decode(OIDCProviderMetadata.self, from: body)
        } catch {
            throw OIDCError.discoveryFailed("\(url) is not a usable discovery document: \(error)")
        }
        guard fetched.matches(configuredIssuer: settings.issuer) else {
            throw OIDCError.discoveryFailed("\(url) names the issuer \(fetched.issuer), not \(settings.issuer)")
        }
        metadata = fetched
        return fetched
    }

    private func currentSigningKeys() async throws -> OIDCSigningKeys {
        if let signingKeys { return signingKeys }
        return try await refreshSigningKeys()
    }

    /// The cached keys, refetched first when the token names a key they lack: the provider
    /// may have rotated its keys since we fetched them.
    private func signingKeys(for idToken: String) async throws -> OIDCSigningKeys {
        let keys = try await currentSigningKeys()
        guard let keyID = try IDTokenHeader(token: idToken).kid, !keys.keyIDs.contains(keyID), mayRefreshSigningKeys else {
            return keys
        }
        logger.debug("ID token signed with an unknown key; refetching the provider's keys", metadata: ["kid": "\(keyID)"])
        return try await refreshSigningKeys()
    }

    private func refreshSigningKeys() async throws -> OIDCSigningKeys {
        let metadata = try await providerMetadata()
        let body = try await get(metadata.jwksURI, failure: OIDCError.discoveryFailed)
        let keys = try await OIDCSigningKeys(jwks: body)
        signingKeys = keys
        signingKeysFetchedAt = .now
        return keys
    }

    private var mayRefreshSigningKeys: Bool {
        guard let signingKeysFetchedAt else { return true }
        return ContinuousClock.now - signingKeysFetchedAt >= minimumKeyRefreshInterval
    }

    // MARK: - Token exchange and verification

    private func exchange(code: String, for request: OIDCAuthorizationRequest, at tokenEndpoint: URL) async throws -> String {
        var form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", request.redirectURI),
            ("code_verifier", request.codeVerifier),
        ]
        var httpRequest = HTTPClientRequest(url: tokenEndpoint.absoluteString)
        httpRequest.method = .POST
        httpRequest.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        httpRequest.headers.add(name: "Accept", value: "application/json")
        if let secret = settings.clientSecret {
            // RFC 6749 section 2.3.1: both halves are form-encoded before being joined.
            let credentials = FormEncoding.percentEncode(settings.clientID) + ":" + FormEncoding.percentEncode(secret)
            httpRequest.headers.add(name: "Authorization", value: "Basic " + Data(credentials.utf8).base64EncodedString())
        } else {
            form.append(("client_id", settings.clientID))
        }
        httpRequest.body = .bytes(ByteBuffer(string: FormEncoding.encode(form)))

        let (status, body) = try await send(httpRequest, failure: OIDCError.tokenExchangeFailed)
        guard (200..<300).contains(status) else {
            let reason = (try? JSONDecoder().decode(TokenErrorResponse.self, from: body)).map(\.summary)
                ?? String(decoding: body.prefix(200), as: UTF8.self)
            throw OIDCError.tokenExchangeFailed("the token endpoint answered \(status): \(reason)")
        }
        guard let tokens = try? JSONDecoder().decode(TokenResponse.self, from: body) else {
            throw OIDCError.tokenExchangeFailed("the token endpoint's answer is not a token response")
        }
        guard let idToken = tokens.idToken, !idToken.isEmpty else {
            throw OIDCError.tokenExchangeFailed("the token endpoint returned no ID token (is the openid scope allowed?)")
        }
        return idToken
    }

    // MARK: - HTTP

    private func get(_ url: URL, failure: (String) -> OIDCError) async throws -> Data {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.headers.add(name: "Accept", value: "application/json")
        let (status, body) = try await send(request, failure: failure)
        guard (200..<300).contains(status) else { throw failure("\(url) answered \(status)") }
        return body
    }

    private func send(_ request: HTTPClientRequest, failure: (String) -> OIDCError) async throws -> (status: UInt, body: Data) {
        do {
            let response = try await httpClient.execute(request, timeout: requestTimeout, logger: logger)
            let body = try await response.body.collect(upTo: maximumResponseSize)
            return (response.status.code, Data(body.readableBytesView))
        } catch let error as CancellationError {
            throw error
        } catch {
            throw failure("\(request.method) \(request.url) failed: \(error)")
        }
    }
}

private struct TokenResponse: Decodable {
    var idToken: String?

    enum CodingKeys: String, CodingKey {
        case idToken = "id_token"
    }
}

/// RFC 6749 section 5.2.
private struct TokenErrorResponse: Decodable {
    var error: String
    var errorDescription: String?

    enum CodingKeys: String, CodingKey {
        case error
        case errorDescription = "error_description"
    }

    var summary: String {
        errorDescription.map { "\(error) (\($0))" } ?? error
    }
}
