import Platform
import Vapor

/// Resolves the session cookie to a principal and checks the CSRF token on every request
/// that changes something. SameSite=Strict already stops most cross-site requests; the
/// token also covers old browsers and same-site subdomains.
struct ConsoleAuthentication: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let token = request.cookies[ConsoleSessions.cookieName]?.string,
              let (session, user) = try await ConsoleSessions.resolve(token: token, on: request.db)
        else { throw PlatformFailure.notSignedIn }
        if request.method != .GET && request.method != .HEAD {
            guard let sent = request.headers.first(name: "X-CSRF-Token"), sent == session.csrfToken else {
                throw PlatformFailure.forbidden("missing or wrong X-CSRF-Token header")
            }
        }
        request.storage[PrincipalKey.self] = try await Principal.load(user, on: request.db)
        request.storage[SessionCSRFKey.self] = session.csrfToken
        return try await next.respond(to: request)
    }
}
