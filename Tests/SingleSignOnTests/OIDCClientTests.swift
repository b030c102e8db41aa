import AsyncHTTPClient
import Foundation
import NIOCore
import XCTest

@testable import SingleSignOn

/// Runs the whole code flow against the real oidc-provider-mock the test script starts.
/// The mock's authorization page is a form with one field, `sub`, posted back to the
/// authorization URL; it answers with a redirect carrying `code` and `state`.
final class OIDCClientTests: XCTestCase {
    private let redirectURI = "http://127.0.0.1:1/auth/oidc/callback"
    private var browser: HTTPClient!

    override func setUp() async throws {
        browser = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))
    }

    override func tearDown() async throws {
        try await browser?.shutdown()
    }

    private func issuer() throws -> URL {
        let text = try SSOTestEnvironment.required("VERIFACE_TEST_OIDC_ISSUER")
        return try XCTUnwrap(URL(string: text))
    }

    /// The mock only accepts client_secret_basic and client_secret_post at its token endpoint
    /// (authlib's default), so every exchange here is made as a confidential client.
    private func client(clientID: String = "veriface-tests", secret: String? = "tests-secret") throws -> OIDCClient {
        OIDCClient(settings: OIDCSettings(issuer: try issuer(), clientID: clientID, clientSecret: secret))
    }

    /// Gives the mock's user the profile claims a real provider would hold.
    private func registerUser(_ subject: String, claims: [String: String]) async throws {
        let url = try issuer().appendingPathComponent("users").appendingPathComponent(subject)
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .PUT
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: Array(try JSONEncoder().encode(claims))))
        let response = try await browser.execute(request, timeout: .seconds(10))
        XCTAssertEqual(response.status.code, 204)
    }

    /// Plays the browser: submits the mock's login form as `subject` and reads the redirect.
    private func logIn(_ request: OIDCAuthorizationRequest, as subject: String) async throws -> (code: String, state: String) {
        var form = HTTPClientRequest(url: request.url.absoluteString)
        form.method = .POST
        form.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        form.body = .bytes(ByteBuffer(string: "sub=" + FormEncoding.percentEncode(subject)))
        let response = try await browser.execute(form, timeout: .seconds(10))
        XCTAssertEqual(response.status.code, 302)
        let location = try XCTUnwrap(response.headers.first(name: "Location"))
        XCTAssertTrue(location.hasPrefix(redirectURI), location)
        let items = try XCTUnwrap(URLComponents(string: location)?.queryItems)
        let code = try XCTUnwrap(items.first { $0.name == "code" }?.value)
        let state = try XCTUnwrap(items.first { $0.name == "state" }?.value)
        return (code, state)
    }

    func testAuthorizationRequestCarriesPKCEAndFreshSecrets() async throws {
        let client = try client()
        let first = try await client.authorizationRequest(redirectURI: redirectURI)
        let second = try await client.authorizationRequest(redirectURI: redirectURI)
        XCTAssertNotEqual(first.state, second.state)
        XCTAssertNotEqual(first.nonce, second.nonce)
        XCTAssertGreaterThanOrEqual(first.codeVerifier.count, 43)

        let items = try XCTUnwrap(URLComponents(url: first.url, resolvingAgainstBaseURL: false)?.queryItems)
        func value(_ name: String) -> String? { items.first { $0.name == name }?.value }
        XCTAssertEqual(value("response_type"), "code")
        XCTAssertEqual(value("client_id"), "veriface-tests")
        XCTAssertEqual(value("redirect_uri"), redirectURI)
        XCTAssertEqual(value("scope"), "openid profile email")
        XCTAssertEqual(value("state"), first.state)
        XCTAssertEqual(value("nonce"), first.nonce)
        XCTAssertEqual(value("code_challenge"), PKCE.challenge(for: first.codeVerifier))
        XCTAssertEqual(value("code_challenge_method"), "S256")
    }

    func testCodeFlowReturnsTheSubjectAndProfile() async throws {
        let subject = "alice-\(UUID().uuidString)"
        try await registerUser(subject, claims: [
            "preferred_username": "alice", "name": "Alice Liu", "email": "alice@veriface.test",
        ])
        let client = try client()
        let request = try await client.authorizationRequest(redirectURI: redirectURI)
        let (code, state) = try await logIn(request, as: subject)
        let identity = try await client.complete(request: request, code: code, returnedState: state)
        XCTAssertEqual(identity, OIDCIdentity(subject: subject, username: "alice", name: "Alice Liu", email: "alice@veriface.test"))
    }

    func testConfidentialClientAuthenticatesWithBasic() async throws {
        let client = try client(clientID: "veriface-confidential", secret: "s3cret:with/odd&chars")
        let request = try await client.authorizationRequest(redirectURI: redirectURI)
        let (code, state) = try await logIn(request, as: "bob")
        let identity = try await client.complete(request: request, code: code, returnedState: state)
        XCTAssertEqual(identity.subject, "bob")
    }

    func testTamperedStateIsRefused() async throws {
        let client = try client()
        let request = try await client.authorizationRequest(redirectURI: redirectURI)
        let (code, state) = try await logIn(request, as: "alice")
        await assertThrows(OIDCError.stateMismatch) {
            try await client.complete(request: request, code: code, returnedState: state + "x")
        }
        await assertThrows(OIDCError.stateMismatch) {
            try await client.complete(request: request, code: code, returnedState: "")
        }
    }

    func testTamperedCodeFailsTheExchange() async throws {
        let client = try client()
        let request = try await client.authorizationRequest(redirectURI: redirectURI)
        let (code, state) = try await logIn(request, as: "alice")
        do {
            _ = try await client.complete(request: request, code: code + "x", returnedState: state)
            XCTFail("a tampered code was accepted")
        } catch OIDCError.tokenExchangeFailed {
        }
    }

    func testCodeCannotBeUsedTwice() async throws {
        let client = try client()
        let request = try await client.authorizationRequest(redirectURI: redirectURI)
        let (code, state) = try await logIn(request, as: "alice")
        _ = try await client.complete(request: request, code: code, returnedState: state)
        do {
            _ = try await client.complete(request: request, code: code, returnedState: state)
            XCTFail("a code was redeemed twice")
        } catch OIDCError.tokenExchangeFailed {
        }
    }

    /// A token minted for another login (its nonce differs) must not be accepted for this one.
    func testIDTokenWithAnotherNonceIsRefused() async throws {
        let client = try client()
        let request = try await client.authorizationRequest(redirectURI: redirectURI)
        let (code, state) = try await logIn(request, as: "alice")
        var otherLogin = request
        otherLogin.nonce = PKCE.randomToken()
        do {
            _ = try await client.complete(request: otherLogin, code: code, returnedState: state)
            XCTFail("an ID token with a foreign nonce was accepted")
        } catch OIDCError.invalidIDToken(let reason) {
            XCTAssertTrue(reason.contains("nonce"), reason)
        }
    }

    func testUnreachableProviderFailsDiscovery() async throws {
        let client = OIDCClient(settings: OIDCSettings(issuer: URL(string: "http://127.0.0.1:1")!, clientID: "x"))
        do {
            _ = try await client.authorizationRequest(redirectURI: redirectURI)
            XCTFail("discovery succeeded against a closed port")
        } catch OIDCError.discoveryFailed {
        }
    }
}
