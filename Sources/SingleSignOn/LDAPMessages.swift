/// LDAPv3 requests and responses (RFC 4511 section 4) mapped to and from BER.
enum LDAPRequest: Sendable {
    case bind(dn: String, password: String)
    case search(LDAPSearch)
    case unbind

    func envelope(messageID: Int) -> BERElement {
        .sequence([.integer(messageID), protocolOperation])
    }

    private var protocolOperation: BERElement {
        switch self {
        case .bind(let dn, let password):
            return .constructed(LDAPOperationIdentifier.bindRequest, [
                .integer(3),
                .octetString(dn),
                .octetString(password, identifier: 0x80),
            ])
        case .search(let search):
            return .constructed(LDAPOperationIdentifier.searchRequest, [
                .octetString(search.baseDN),
                .enumerated(search.scope.rawValue),
                .enumerated(0),  // derefAliases: never
                .integer(search.sizeLimit),
                .integer(search.timeLimitSeconds),
                .boolean(false),  // typesOnly
                search.filter.ber,
                .sequence(search.attributes.map { .octetString($0) }),
            ])
        case .unbind:
            return BERElement(identifier: LDAPOperationIdentifier.unbindRequest, content: [])
        }
    }
}

struct LDAPSearch: Sendable {
    enum Scope: Int, Sendable {
        case baseObject = 0
        case singleLevel = 1
        case wholeSubtree = 2
    }

    var baseDN: String
    var scope: Scope
    var filter: LDAPFilter
    var attributes: [String]
    var sizeLimit = 1000
    var timeLimitSeconds = 10
}

enum LDAPOperationIdentifier {
    static let bindRequest: UInt8 = 0x60
    static let bindResponse: UInt8 = 0x61
    static let unbindRequest: UInt8 = 0x42
    static let searchRequest: UInt8 = 0x63
    static let searchResultEntry: UInt8 = 0x64
    static let searchResultDone: UInt8 = 0x65
    static let searchResultReference: UInt8 = 0x73
    static let extendedResponse: UInt8 = 0x78
}

struct LDAPResult: Equatable, Sendable {
    static let success = 0
    static let noSuchObject = 32
    static let invalidDNSyntax = 34
    static let invalidCredentials = 49

    var code: Int
    var matchedDN: String
    var diagnosticMessage: String

    init(code: Int, matchedDN: String = "", diagnosticMessage: String = "") {
        self.code = code
        self.matchedDN = matchedDN
        self.diagnosticMessage = diagnosticMessage
    }

    init(components: [BERElement]) throws {
        guard components.count >= 3 else { throw BERError.truncated }
        code = try components[0].expecting(BERElement.enumeratedIdentifier).integerValue()
        matchedDN = components[1].stringValue
        diagnosticMessage = components[2].stringValue
    }

    var summary: String {
        diagnosticMessage.isEmpty ? "result code \(code)" : "result code \(code): \(diagnosticMessage)"
    }
}

struct LDAPEntry: Equatable, Sendable {
    var dn: String
    /// Keyed by lowercased attribute description, since LDAP attribute names are case-insensitive.
    var attributes: [String: [String]]

    func firstValue(of attribute: String) -> String? {
        attributes[attribute.lowercased()]?.first
    }
}

enum LDAPResponse: Equatable, Sendable {
    case bind(LDAPResult)
    case searchEntry(LDAPEntry)
    case searchReference
    case searchDone(LDAPResult)
    /// Unsolicited ones (message ID 0) announce that the server is dropping the connection.
    case extended(LDAPResult)
}

struct LDAPIncomingMessage: Equatable, Sendable {
    var messageID: Int
    var response: LDAPResponse

    init(messageID: Int, response: LDAPResponse) {
        self.messageID = messageID
        self.response = response
    }

    init(decoding frame: [UInt8]) throws {
        let envelope = try BERElement(decoding: frame).expecting(BERElement.sequenceIdentifier)
        let parts = try envelope.children()
        guard parts.count >= 2 else { throw BERError.truncated }
        messageID = try parts[0].expecting(BERElement.integerIdentifier).integerValue()
        let operation = parts[1]
        switch operation.identifier {
        case LDAPOperationIdentifier.bindResponse:
            response = .bind(try LDAPResult(components: operation.children()))
        case LDAPOperationIdentifier.searchResultDone:
            response = .searchDone(try LDAPResult(components: operation.children()))
        case LDAPOperationIdentifier.extendedResponse:
            response = .extended(try LDAPResult(components: operation.children()))
        case LDAPOperationIdentifier.searchResultReference:
            response = .searchReference
        case LDAPOperationIdentifier.searchResultEntry:
            response = .searchEntry(try Self.entry(from: operation))
        default:
            throw BERError.unsupportedIdentifier(operation.identifier)
        }
    }

    private static func entry(from operation: BERElement) throws -> LDAPEntry {
        let parts = try operation.children()
        guard parts.count >= 2 else { throw BERError.truncated }
        var attributes: [String: [String]] = [:]
        for attribute in try parts[1].children() {
            let typeAndValues = try attribute.children()
            guard typeAndValues.count >= 2 else { throw BERError.truncated }
            let values = try typeAndValues[1].children().map(\.stringValue)
            attributes[typeAndValues[0].stringValue.lowercased(), default: []] += values
        }
        return LDAPEntry(dn: parts[0].stringValue, attributes: attributes)
    }
}

extension LDAPRequest: CustomStringConvertible {
    /// Requests may end up in logs or error messages; a bind's password must not.
    var description: String {
        switch self {
        case .bind(let dn, _): return "bind(dn: \(dn), password: <redacted>)"
        case .search(let search): return "search(base: \(search.baseDN), filter: \(search.filter.stringRepresentation))"
        case .unbind: return "unbind"
        }
    }
}
