/// Host and port taken from an `ldap://host[:port][/...]` URL (RFC 4516); anything after the
/// authority (base DN, attributes) is ignored because the settings carry those separately.
struct LDAPServerAddress: Equatable, Sendable {
    static let defaultPort = 389

    var host: String
    var port: Int

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    init(url: String) throws(LDAPError) {
        let scheme = "ldap://"
        guard url.lowercased().hasPrefix(scheme) else {
            throw .protocolError("unsupported LDAP URL \(url): only ldap:// is supported")
        }
        let authority = url.dropFirst(scheme.count).prefix { $0 != "/" }
        let hostPart: Substring
        let portPart: Substring?
        if authority.hasPrefix("["), let closing = authority.firstIndex(of: "]") {
            hostPart = authority[authority.index(after: authority.startIndex)..<closing]
            let rest = authority[authority.index(after: closing)...]
            portPart = rest.hasPrefix(":") ? rest.dropFirst() : nil
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        } else {
            hostPart = authority
            portPart = nil
        }
        guard !hostPart.isEmpty else { throw .protocolError("LDAP URL \(url) has no host") }
        host = String(hostPart)
        if let portPart {
            guard let parsed = Int(portPart), (1...65535).contains(parsed) else {
                throw .protocolError("LDAP URL \(url) has an invalid port")
            }
            port = parsed
        } else {
            port = Self.defaultPort
        }
    }
}
