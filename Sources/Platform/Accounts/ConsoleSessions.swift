import Crypto
import Fluent
import Foundation

/// Creates and resolves console sessions (cookie token → user).
public enum ConsoleSessions {
    public static let cookieName = "vf_session"
    public static let lifetime: TimeInterval = 8 * 3600

    public struct Opened: Sendable {
        public var token: String
        public var csrfToken: String
        public var expiresAt: Date
    }

    public static func open(for user: UserModel, on db: any Database) async throws -> Opened {
        let token = randomToken(), csrf = randomToken()
        let expires = Date().addingTimeInterval(lifetime)
        try await SessionModel(tokenHash: digest(token), userID: try user.requireID(), csrfToken: csrf, expiresAt: expires).create(on: db)
        return Opened(token: token, csrfToken: csrf, expiresAt: expires)
    }

    /// The live session and its user, or nil for an unknown, expired or disabled one.
    public static func resolve(token: String, on db: any Database) async throws -> (SessionModel, UserModel)? {
        guard token.count <= 128,
              let session = try await SessionModel.query(on: db).filter(\.$tokenHash == digest(token)).first()
        else { return nil }
        guard session.expiresAt > Date() else {
            try await session.delete(on: db)
            return nil
        }
        guard let user = try await UserModel.find(session.userID, on: db), !user.disabled else { return nil }
        return (session, user)
    }

    public static func close(token: String, on db: any Database) async throws {
        try await SessionModel.query(on: db).filter(\.$tokenHash == digest(token)).delete()
    }

    static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func randomToken() -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        return bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
