import Foundation
import Logging
import NIOCore
import NIOPosix

/// Checks a user's password against an LDAP directory and reads who they are.
public struct LDAPDirectory: Sendable {
    public let settings: LDAPSettings
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger

    public init(
        settings: LDAPSettings,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "veriface.sso.ldap")
    ) {
        self.settings = settings
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// Binds as the user (simple bind with the DN from the template), then, on the same
    /// connection, reads the user's own entry (cn, displayName, mail) and the `cn` of every
    /// group under `groupBase` that lists the user's DN as `member`. Unbinds and closes.
    /// The identity carries the DN and name as stored in the directory, which may differ from
    /// what was typed in case or surrounding spaces.
    public func authenticate(username: String, password: String) async throws -> LDAPIdentity {
        // A simple bind with an empty password is an "unauthenticated bind" (RFC 4513 section
        // 5.1.2) that many servers accept, so it would let anyone in as anyone.
        guard !password.isEmpty else { throw LDAPError.invalidCredentials }
        let userDN = try LDAPDistinguishedName.userDN(template: settings.userDNTemplate, username: username)
        let address = try LDAPServerAddress(url: settings.url)
        let timeout = settings.timeout
        let group = eventLoopGroup
        let groupBase = settings.groupBase
        let logger = logger
        let usernameAttribute = LDAPDistinguishedName.usernameAttribute(template: settings.userDNTemplate)

        let identity = try await withDeadline(timeout, onTimeout: {
            LDAPError.unreachable("no answer from \(address.host):\(address.port) within \(timeout)")
        }) {
            try await LDAPConnection.withConnection(to: address, connectTimeout: timeout, eventLoopGroup: group) { connection in
                try await Self.conversation(
                    on: &connection, userDN: userDN, username: username, usernameAttribute: usernameAttribute,
                    password: password, groupBase: groupBase, logger: logger)
            }
        }
        logger.debug("LDAP login succeeded", metadata: ["dn": "\(identity.dn)", "groups": "\(identity.groups)"])
        return identity
    }

    private static func conversation(
        on connection: inout LDAPConnection,
        userDN: String,
        username: String,
        usernameAttribute: String?,
        password: String,
        groupBase: String?,
        logger: Logger
    ) async throws -> LDAPIdentity {
        let bindResult = try await connection.bind(dn: userDN, password: password)
        switch bindResult.code {
        case LDAPResult.success:
            break
        // A DN that names nobody or cannot be parsed is, to the person logging in, a wrong login.
        case LDAPResult.invalidCredentials, LDAPResult.noSuchObject, LDAPResult.invalidDNSyntax:
            logger.debug("LDAP bind refused", metadata: ["dn": "\(userDN)", "result": "\(bindResult.code)"])
            throw LDAPError.invalidCredentials
        default:
            throw LDAPError.protocolError("bind failed with \(bindResult.summary)")
        }

        let ownEntry = try await connection.search(LDAPSearch(
            baseDN: userDN, scope: .baseObject, filter: .present(attribute: "objectClass"),
            attributes: ["cn", "displayName", "mail"] + (usernameAttribute.map { [$0] } ?? []), sizeLimit: 1))
        guard ownEntry.result.code == LDAPResult.success else {
            throw LDAPError.protocolError("reading the user's entry failed with \(ownEntry.result.summary)")
        }
        let entry = ownEntry.entries.first
        // The server matches names loosely (case, surrounding spaces), so " ALICE" binds as alice;
        // reporting the stored name and DN keeps one person from becoming several accounts.
        let canonicalDN = entry?.dn ?? userDN
        let canonicalUsername = usernameAttribute.flatMap { entry?.storedValue(of: $0, matching: username) } ?? username

        var groups: [String] = []
        if let groupBase {
            let membership = LDAPFilter.equality(attribute: "member", value: canonicalDN)
            logger.trace("LDAP group search", metadata: ["base": "\(groupBase)", "filter": "\(membership.stringRepresentation)"])
            let groupSearch = try await connection.search(LDAPSearch(
                baseDN: groupBase, scope: .wholeSubtree, filter: membership, attributes: ["cn"]))
            guard groupSearch.result.code == LDAPResult.success else {
                throw LDAPError.protocolError("the group search failed with \(groupSearch.result.summary)")
            }
            groups = groupSearch.entries.compactMap { $0.firstValue(of: "cn") }.sorted()
        }

        await connection.unbind()
        return LDAPIdentity(
            dn: canonicalDN,
            username: canonicalUsername,
            displayName: entry?.firstValue(of: "displayName") ?? entry?.firstValue(of: "cn"),
            email: entry?.firstValue(of: "mail"),
            groups: groups)
    }
}

extension LDAPEntry {
    /// The stored value of a multi-valued naming attribute that the typed name stands for.
    func storedValue(of attribute: String, matching typed: String) -> String? {
        let wanted = typed.trimmingCharacters(in: .whitespaces).lowercased()
        let values = attributes[attribute.lowercased()] ?? []
        return values.first { $0.lowercased() == wanted } ?? values.first
    }
}
