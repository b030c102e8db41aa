import Foundation

public struct LDAPSettings: Sendable, Equatable {
    /// `ldap://host[:port]`; TLS (`ldaps://`) is not supported.
    public var url: String
    /// The user's DN with `{username}` where the escaped login name goes,
    /// e.g. `uid={username},ou=people,dc=example,dc=org`.
    public var userDNTemplate: String
    /// Where `groupOfNames` entries listing the user as `member` live; nil skips the group lookup.
    public var groupBase: String?
    /// Bounds the whole exchange (connect, bind, searches), not each step.
    public var timeout: Duration

    public init(url: String, userDNTemplate: String, groupBase: String? = nil, timeout: Duration = .seconds(5)) {
        self.url = url
        self.userDNTemplate = userDNTemplate
        self.groupBase = groupBase
        self.timeout = timeout
    }

    /// Reads `VERIFACE_LDAP_URL`, `VERIFACE_LDAP_USER_DN` and `VERIFACE_LDAP_GROUP_BASE`.
    /// Nil when LDAP is not configured: no URL, or no user DN template (there is no sensible
    /// default DN layout, and guessing one would only turn into baffling login failures).
    public static func fromEnvironment(_ environment: [String: String]) -> LDAPSettings? {
        guard let url = nonEmpty(environment["VERIFACE_LDAP_URL"]),
            let userDNTemplate = nonEmpty(environment["VERIFACE_LDAP_USER_DN"])
        else { return nil }
        return LDAPSettings(
            url: url,
            userDNTemplate: userDNTemplate,
            groupBase: nonEmpty(environment["VERIFACE_LDAP_GROUP_BASE"])
        )
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let trimmed = value?.trimmingCharacters(in: .whitespaces), !trimmed.isEmpty else { return nil }
        return trimmed
    }
}

public struct LDAPIdentity: Sendable, Equatable {
    public var dn: String
    public var username: String
    /// `displayName` when the entry has one, otherwise its `cn`.
    public var displayName: String?
    public var email: String?
    /// The `cn` of every group listing the user as a member, sorted.
    public var groups: [String]

    public init(dn: String, username: String, displayName: String?, email: String?, groups: [String]) {
        self.dn = dn
        self.username = username
        self.displayName = displayName
        self.email = email
        self.groups = groups
    }
}

public enum LDAPError: Error, Sendable, Equatable {
    case invalidCredentials
    case unreachable(String)
    case protocolError(String)
    case invalidUsername
}
