import Fluent
import Platform
import SingleSignOn
import Vapor

/// Sign-in (local, LDAP, OIDC), the current session, sign-out and password change.
struct SessionController: RouteCollection {
    let platform: Platform

    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("console", "api")
        api.post("login", use: login)
        api.get("sso", use: ssoMethods)
        routes.get("console", "sso", "oidc", "start", use: oidcStart)
        routes.get("console", "sso", "oidc", "callback", use: oidcCallback)
        let signedIn = api.grouped(ConsoleAuthentication())
        signedIn.get("session", use: current)
        signedIn.post("logout", use: logout)
        signedIn.post("password", use: changePassword)
    }

    @Sendable func login(_ request: Request) async throws -> Response {
        let body = try request.content.decode(LoginRequest.self)
        let username = try requireText(body.username, "username", max: 100)
        let method = body.method ?? "local"
        let user: UserModel
        do {
            switch method {
            case "local": user = try await platform.signIn.local(username: username, password: body.password, on: request.db)
            case "ldap": user = try await platform.signIn.ldap(username: username, password: body.password, on: request.db)
            default: throw PlatformFailure.invalid("method must be 'local' or 'ldap'")
            }
        } catch let failure as PlatformFailure where failure == .signInFailed || failure == .accountLocked {
            try await recordFailure(username: username, method: method, request)
            throw failure
        }
        return try await openSession(for: user, method: method, request)
    }

    func openSession(for user: UserModel, method: String, _ request: Request, redirect: String? = nil) async throws -> Response {
        let opened = try await ConsoleSessions.open(for: user, on: request.db)
        try await AuditLog.record("session.login", by: .init(id: user.id, name: user.username, organisationID: user.organisationID, ip: request.clientIP),
                                  target: "user", id: user.id?.uuidString, before: String?.none, after: ["method": method], on: request.db)
        let response: Response
        if let redirect {
            response = request.redirect(to: redirect)
        } else {
            response = try await summary(user, csrf: opened.csrfToken, request).encodeResponse(for: request)
        }
        response.cookies[ConsoleSessions.cookieName] = HTTPCookies.Value(
            string: opened.token, expires: opened.expiresAt, maxAge: Int(ConsoleSessions.lifetime), path: "/",
            isSecure: request.url.scheme == "https" || request.headers.first(name: "X-Forwarded-Proto") == "https",
            isHTTPOnly: true, sameSite: redirect == nil ? .strict : .lax)
        return response
    }

    /// Failed attempts are audited in the root organisation: the user may not exist.
    func recordFailure(username: String, method: String, _ request: Request) async throws {
        let user = try await UserModel.query(on: request.db).filter(\.$username == username).first()
        let orgID: UUID
        if let user { orgID = user.organisationID } else {
            guard let root = try await OrganisationModel.query(on: request.db).filter(\.$parentID == nil).first() else { return }
            orgID = try root.requireID()
        }
        try await AuditLog.record("session.login_failed", by: .init(id: user?.id, name: username, organisationID: orgID, ip: request.clientIP),
                                  target: "user", id: user?.id?.uuidString, before: String?.none, after: ["method": method], on: request.db)
    }

    @Sendable func current(_ request: Request) async throws -> SessionResponse {
        let principal = try request.principal
        guard let user = try await UserModel.find(principal.userID, on: request.db) else { throw PlatformFailure.notSignedIn }
        return try await summary(user, csrf: request.storage[SessionCSRFKey.self] ?? "", request)
    }

    @Sendable func logout(_ request: Request) async throws -> Response {
        if let token = request.cookies[ConsoleSessions.cookieName]?.string {
            try await ConsoleSessions.close(token: token, on: request.db)
        }
        let response = Response(status: .noContent)
        response.cookies[ConsoleSessions.cookieName] = HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), path: "/", isHTTPOnly: true, sameSite: .strict)
        return response
    }

    @Sendable func changePassword(_ request: Request) async throws -> HTTPStatus {
        let body = try request.content.decode(PasswordChangeRequest.self)
        let principal = try request.principal
        guard let user = try await UserModel.find(principal.userID, on: request.db),
              user.source == AccountSource.local.rawValue else {
            throw PlatformFailure.invalid("only local accounts have a password here")
        }
        guard let hash = user.passwordHash, PasswordPolicy.verify(body.current, hash: hash) else { throw PlatformFailure.signInFailed }
        guard body.new != body.current else { throw PlatformFailure.invalid("the new password must differ from the current one") }
        user.passwordHash = try PasswordPolicy.hash(body.new)
        user.mustChangePassword = false
        try await user.save(on: request.db)
        try await AuditLog.record("user.password_change", by: try request.auditActor, target: "user", id: user.id?.uuidString, on: request.db)
        return .noContent
    }

    @Sendable func ssoMethods(_ request: Request) async throws -> SSOMethods {
        SSOMethods(ldap: platform.settings.ldap != nil, oidc: platform.oidc != nil)
    }

    // MARK: OpenID Connect

    /// The pending authorization request rides in a short-lived HttpOnly cookie sealed with
    /// the data key, so no server-side state is needed between start and callback.
    static let oidcCookie = "vf_oidc"

    @Sendable func oidcStart(_ request: Request) async throws -> Response {
        guard let oidc = platform.oidc else { throw PlatformFailure.notFound("OIDC sign-in") }
        let redirectURI = Self.callbackURL(request)
        let authorization = try await oidc.authorizationRequest(redirectURI: redirectURI)
        let sealed = try platform.key.seal(try JSONEncoder().encode(authorization), context: "oidc")
        let response = request.redirect(to: authorization.url.absoluteString)
        response.cookies[Self.oidcCookie] = HTTPCookies.Value(
            string: sealed.base64EncodedString(), maxAge: 600, path: "/console/sso/oidc", isHTTPOnly: true, sameSite: .lax)
        return response
    }

    @Sendable func oidcCallback(_ request: Request) async throws -> Response {
        guard let oidc = platform.oidc else { throw PlatformFailure.notFound("OIDC sign-in") }
        guard let cookie = request.cookies[Self.oidcCookie]?.string, let sealed = Data(base64Encoded: cookie),
              let plain = try? platform.key.open(sealed, context: "oidc"),
              let pending = try? JSONDecoder().decode(OIDCAuthorizationRequest.self, from: plain)
        else { throw PlatformFailure.invalid("the sign-in took too long or was started elsewhere; start again") }
        guard let code = request.query[String.self, at: "code"], let state = request.query[String.self, at: "state"] else {
            throw PlatformFailure.invalid(request.query[String.self, at: "error_description"] ?? "the provider returned no code")
        }
        let identity: OIDCIdentity
        do { identity = try await oidc.complete(request: pending, code: code, returnedState: state) } catch {
            request.logger.info("OIDC sign-in refused: \(error)")
            throw PlatformFailure.signInFailed
        }
        let user = try await platform.signIn.oidc(identity, on: request.db)
        let response = try await openSession(for: user, method: "oidc", request, redirect: "/console/")
        response.cookies[Self.oidcCookie] = HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), path: "/console/sso/oidc")
        return response
    }

    static func callbackURL(_ request: Request) -> String {
        let host = request.headers.first(name: .host) ?? "127.0.0.1"
        let scheme = request.headers.first(name: "X-Forwarded-Proto") == "https" ? "https" : "http"
        return "\(scheme)://\(host)/console/sso/oidc/callback"
    }

    func summary(_ user: UserModel, csrf: String, _ request: Request) async throws -> SessionResponse {
        let principal = try await Principal.load(user, on: request.db)
        let organisation = try await OrganisationModel.find(user.organisationID, on: request.db)
        return SessionResponse(
            user: UserSummary(id: try user.requireID(), username: user.username, displayName: user.displayName,
                              organisationId: user.organisationID, organisationName: organisation?.name ?? "",
                              source: user.source, permissions: principal.permissions.map(\.rawValue).sorted(),
                              mustChangePassword: user.mustChangePassword),
            csrfToken: csrf)
    }
}
