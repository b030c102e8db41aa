import Platform
import Vapor

enum PrincipalKey: StorageKey { typealias Value = Principal }
enum SessionCSRFKey: StorageKey { typealias Value = String }

extension Request {
    /// The signed-in user; set by `ConsoleAuthentication` for every /console/api route behind it.
    var principal: Principal {
        get throws {
            guard let principal = storage[PrincipalKey.self] else { throw PlatformFailure.notSignedIn }
            return principal
        }
    }

    var clientIP: String { remoteAddress?.ipAddress ?? "" }

    var auditActor: AuditLog.Actor {
        get throws {
            let principal = try principal
            return AuditLog.Actor(id: principal.userID, name: principal.username, organisationID: principal.organisationID, ip: clientIP)
        }
    }

    /// The principal after checking one permission.
    func principal(requiring permission: Permission) throws -> Principal {
        let principal = try principal
        try principal.require(permission)
        return principal
    }

    /// A UUID path parameter; a malformed id is "not found" like any other unknown id.
    func id(_ name: String, _ what: String) throws -> UUID {
        guard let text = parameters.get(name), let id = UUID(uuidString: text) else { throw PlatformFailure.notFound(what) }
        return id
    }
}
