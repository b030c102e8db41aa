import Foundation
import SingleSignOn

/// Where the platform keeps its state and which directories it signs users in with.
/// Read once at start from flags and the environment; never logged as a whole because the
/// database URL may carry a password.
public struct PlatformSettings: Sendable {
    public enum Database: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(url: String)
        case sqliteInMemory
    }

    public var dataDirectory: URL
    public var database: Database
    public var ldap: LDAPSettings?
    /// LDAP group name → built-in or custom role name, e.g. `operators=Operator`.
    public var ldapGroupRoles: [String: String]
    public var oidc: OIDCSettings?
    /// Roles a user signing in through OIDC for the first time gets (the ID token carries no groups).
    public var oidcDefaultRoles: [String] = []
    /// Print the first administrator's one-time password when the database is new.
    public var createFirstAdministrator: Bool
    /// Seconds before each retry of a failed verification callback
    /// (`VERIFACE_CALLBACK_RETRY_DELAYS`, comma-separated).
    public var callbackRetryDelays: [Double] = [2, 5, 15, 60, 300]

    public init(dataDirectory: URL, database: Database? = nil, ldap: LDAPSettings? = nil,
                ldapGroupRoles: [String: String] = [:], oidc: OIDCSettings? = nil,
                createFirstAdministrator: Bool = true) {
        self.dataDirectory = dataDirectory
        self.database = database ?? .sqlite(path: dataDirectory.appendingPathComponent("veriface.sqlite").path)
        self.ldap = ldap
        self.ldapGroupRoles = ldapGroupRoles
        self.oidc = oidc
        self.createFirstAdministrator = createFirstAdministrator
    }

    /// `~/.local/share/veriface/data` unless `VERIFACE_DATA` says otherwise.
    public static func defaultDataDirectory(_ env: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let explicit = env["VERIFACE_DATA"], !explicit.isEmpty { return URL(fileURLWithPath: explicit) }
        let home = env["HOME"] ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".local/share/veriface/data")
    }

    /// Settings from the environment: `VERIFACE_DATABASE_URL` (postgres://…) and the
    /// `VERIFACE_LDAP_*` / `VERIFACE_OIDC_*` variables.
    public static func fromEnvironment(dataDirectory: URL? = nil, databaseURL: String? = nil,
                                       _ env: [String: String] = ProcessInfo.processInfo.environment) throws -> PlatformSettings {
        let data = dataDirectory ?? defaultDataDirectory(env)
        var database: Database?
        if let url = databaseURL ?? env["VERIFACE_DATABASE_URL"], !url.isEmpty {
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw PlatformError.configuration("VERIFACE_DATABASE_URL must be a postgres:// URL (SQLite is the default without it)")
            }
            database = .postgres(url: url)
        }
        var settings = PlatformSettings(
            dataDirectory: data, database: database,
            ldap: LDAPSettings.fromEnvironment(env),
            ldapGroupRoles: parseGroupRoles(env["VERIFACE_LDAP_GROUP_ROLES"] ?? ""),
            oidc: OIDCSettings.fromEnvironment(env))
        settings.oidcDefaultRoles = (env["VERIFACE_OIDC_DEFAULT_ROLES"] ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let delays = env["VERIFACE_CALLBACK_RETRY_DELAYS"], !delays.isEmpty {
            let parsed = delays.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parsed.count == delays.split(separator: ",").count, parsed.allSatisfy({ $0 >= 0 && $0 <= 86_400 }) else {
                throw PlatformError.configuration("VERIFACE_CALLBACK_RETRY_DELAYS: comma-separated seconds, e.g. 2,5,15")
            }
            settings.callbackRetryDelays = parsed
        }
        return settings
    }

    static func parseGroupRoles(_ text: String) -> [String: String] {
        var roles: [String: String] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty { roles[parts[0]] = parts[1] }
        }
        return roles
    }
}

public enum PlatformError: Error, CustomStringConvertible {
    case configuration(String)
    case keyFile(String)

    public var description: String {
        switch self {
        case .configuration(let m): "configuration: \(m)"
        case .keyFile(let m): "data key: \(m)"
        }
    }
}
