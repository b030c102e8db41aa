import Foundation

/// Turns a login name into the user's DN without letting the name add or change RDNs.
enum LDAPDistinguishedName {
    static let usernamePlaceholder = "{username}"

    /// Login names longer than this are not names; refusing them keeps requests small.
    static let maximumUsernameLength = 256

    static func userDN(template: String, username: String) throws(LDAPError) -> String {
        try validate(username: username)
        guard template.contains(usernamePlaceholder) else {
            throw .protocolError("the user DN template has no \(usernamePlaceholder) placeholder")
        }
        return template.replacingOccurrences(of: usernamePlaceholder, with: escapeAttributeValue(username))
    }

    /// The attribute the login name fills in, e.g. `uid` for `uid={username},ou=people,...`;
    /// its stored value is the user's canonical name.
    static func usernameAttribute(template: String) -> String? {
        guard let placeholder = template.range(of: "=" + usernamePlaceholder) else { return nil }
        let attribute = template[..<placeholder.lowerBound].split(whereSeparator: { ",+".contains($0) }).last
        return attribute.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Control characters have no business in a login name and could smuggle NULs or line
    /// breaks into DNs and logs, so they are refused rather than escaped.
    static func validate(username: String) throws(LDAPError) {
        guard !username.isEmpty, username.count <= maximumUsernameLength else { throw .invalidUsername }
        let hasControlCharacter = username.unicodeScalars.contains {
            $0.properties.generalCategory == .control || $0.properties.generalCategory == .format
        }
        guard !hasControlCharacter else { throw .invalidUsername }
    }

    /// RFC 4514 section 2.4, escaping `=` as well so a value can never read as a new attribute.
    static func escapeAttributeValue(_ value: String) -> String {
        let alwaysEscaped: Set<Character> = ["\"", "+", ",", ";", "<", ">", "\\", "="]
        var escaped = ""
        let characters = Array(value)
        for (index, character) in characters.enumerated() {
            let isFirst = index == 0, isLast = index == characters.count - 1
            if alwaysEscaped.contains(character)
                || (isFirst && (character == "#" || character == " "))
                || (isLast && character == " ") {
                escaped.append("\\")
            }
            escaped.append(character)
        }
        return escaped
    }
}
