/// The few search filters (RFC 4511 section 4.5.1.7) the directory lookups need.
///
/// Filters travel as BER structures, so a value can never change the shape of a filter the way
/// string concatenation could; the RFC 4515 string form exists only for log lines.
indirect enum LDAPFilter: Equatable, Sendable {
    case present(attribute: String)
    case equality(attribute: String, value: String)
    case and([LDAPFilter])

    var ber: BERElement {
        switch self {
        case .present(let attribute):
            return .octetString(attribute, identifier: 0x87)
        case .equality(let attribute, let value):
            return .constructed(0xA3, [.octetString(attribute), .octetString(value)])
        case .and(let filters):
            return .constructed(0xA0, filters.map(\.ber))
        }
    }

    /// RFC 4515 text form, with assertion values escaped.
    var stringRepresentation: String {
        switch self {
        case .present(let attribute):
            return "(\(attribute)=*)"
        case .equality(let attribute, let value):
            return "(\(attribute)=\(Self.escapeAssertionValue(value)))"
        case .and(let filters):
            return "(&" + filters.map(\.stringRepresentation).joined() + ")"
        }
    }

    /// RFC 4515 section 3: `*`, `(`, `)`, `\` and NUL become `\XX`.
    static func escapeAssertionValue(_ value: String) -> String {
        var escaped: [UInt8] = []
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "*"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\\"), 0:
                escaped += Array("\\\(hexByte(byte))".utf8)
            default:
                escaped.append(byte)
            }
        }
        return String(decoding: escaped, as: UTF8.self)
    }

    private static func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
