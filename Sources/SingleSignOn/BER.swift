/// One BER element (X.690) in the subset LDAP uses: single-byte identifiers and definite lengths.
///
/// LDAP (RFC 4511 section 5.1) only ever uses tag numbers below 31 and forbids the indefinite
/// length form, so anything outside that subset is treated as a malformed message.
struct BERElement: Equatable, Sendable {
    var identifier: UInt8
    var content: [UInt8]

    init(identifier: UInt8, content: [UInt8]) {
        self.identifier = identifier
        self.content = content
    }

    var isConstructed: Bool { identifier & 0x20 != 0 }
}

enum BERError: Error, Equatable, Sendable {
    case truncated
    case unsupportedIdentifier(UInt8)
    case indefiniteLength
    case lengthTooLarge
    case trailingBytes
    case unexpectedIdentifier(expected: UInt8, found: UInt8)
    case malformedInteger
}

// MARK: - Universal identifiers and constructors

extension BERElement {
    static let booleanIdentifier: UInt8 = 0x01
    static let integerIdentifier: UInt8 = 0x02
    static let octetStringIdentifier: UInt8 = 0x04
    static let nullIdentifier: UInt8 = 0x05
    static let enumeratedIdentifier: UInt8 = 0x0A
    static let sequenceIdentifier: UInt8 = 0x30
    static let setIdentifier: UInt8 = 0x31

    static func integer(_ value: Int, identifier: UInt8 = integerIdentifier) -> BERElement {
        BERElement(identifier: identifier, content: minimalTwosComplement(value))
    }

    static func enumerated(_ value: Int) -> BERElement {
        integer(value, identifier: enumeratedIdentifier)
    }

    static func boolean(_ value: Bool) -> BERElement {
        BERElement(identifier: booleanIdentifier, content: [value ? 0xFF : 0x00])
    }

    static func octetString(_ value: String, identifier: UInt8 = octetStringIdentifier) -> BERElement {
        BERElement(identifier: identifier, content: Array(value.utf8))
    }

    static func constructed(_ identifier: UInt8, _ children: [BERElement]) -> BERElement {
        BERElement(identifier: identifier, content: children.flatMap(\.encoded))
    }

    static func sequence(_ children: [BERElement]) -> BERElement {
        constructed(sequenceIdentifier, children)
    }

    private static func minimalTwosComplement(_ value: Int) -> [UInt8] {
        var bytes = withUnsafeBytes(of: value.bigEndian, Array.init)
        // Drop leading bytes that only repeat the sign of the byte after them.
        while bytes.count > 1 {
            let first = bytes[0], next = bytes[1]
            let redundant = (first == 0x00 && next & 0x80 == 0) || (first == 0xFF && next & 0x80 != 0)
            guard redundant else { break }
            bytes.removeFirst()
        }
        return bytes
    }
}

// MARK: - Encoding

extension BERElement {
    var encoded: [UInt8] {
        [identifier] + Self.encodedLength(content.count) + content
    }

    static func encodedLength(_ length: Int) -> [UInt8] {
        if length < 0x80 { return [UInt8(length)] }
        var lengthBytes = withUnsafeBytes(of: UInt64(length).bigEndian, Array.init)
        while lengthBytes.first == 0 { lengthBytes.removeFirst() }
        return [0x80 | UInt8(lengthBytes.count)] + lengthBytes
    }
}

// MARK: - Decoding

extension BERElement {
    /// Upper bound on one element; an LDAP reply this large means a hostile or confused peer.
    static let maximumLength = 16 * 1024 * 1024

    /// The total size (header and content) of the first element in `bytes`, or nil when more bytes
    /// are needed to know or to hold it. Used to cut a TCP stream into whole LDAP messages.
    static func frameLength(ofFirstElementIn bytes: some Collection<UInt8>) throws -> Int? {
        guard let header = try readHeader(bytes.prefix(10)) else { return nil }
        let total = header.headerLength + header.contentLength
        return bytes.count >= total ? total : nil
    }

    /// Parses exactly one element that fills `bytes`.
    init(decoding bytes: [UInt8]) throws {
        var offset = 0
        self = try Self.read(from: bytes, offset: &offset)
        guard offset == bytes.count else { throw BERError.trailingBytes }
    }

    /// The elements inside a constructed element, in order.
    func children() throws -> [BERElement] {
        var elements: [BERElement] = []
        var offset = 0
        while offset < content.count {
            elements.append(try Self.read(from: content, offset: &offset))
        }
        return elements
    }

    func integerValue() throws -> Int {
        guard !content.isEmpty, content.count <= MemoryLayout<Int>.size else { throw BERError.malformedInteger }
        var value = content[0] & 0x80 != 0 ? -1 : 0
        for byte in content { value = (value << 8) | Int(byte) }
        return value
    }

    var stringValue: String { String(decoding: content, as: UTF8.self) }

    func expecting(_ expectedIdentifier: UInt8) throws -> BERElement {
        guard identifier == expectedIdentifier else {
            throw BERError.unexpectedIdentifier(expected: expectedIdentifier, found: identifier)
        }
        return self
    }

    private struct Header {
        var identifier: UInt8
        var headerLength: Int
        var contentLength: Int
    }

    private static func readHeader(_ bytes: some Collection<UInt8>) throws -> Header? {
        var iterator = bytes.makeIterator()
        guard let identifier = iterator.next() else { return nil }
        guard identifier & 0x1F != 0x1F else { throw BERError.unsupportedIdentifier(identifier) }
        guard let firstLengthByte = iterator.next() else { return nil }
        if firstLengthByte < 0x80 {
            return Header(identifier: identifier, headerLength: 2, contentLength: Int(firstLengthByte))
        }
        let lengthByteCount = Int(firstLengthByte & 0x7F)
        guard lengthByteCount != 0 else { throw BERError.indefiniteLength }
        guard lengthByteCount <= 4 else { throw BERError.lengthTooLarge }
        var contentLength = 0
        for _ in 0..<lengthByteCount {
            guard let byte = iterator.next() else { return nil }
            contentLength = (contentLength << 8) | Int(byte)
        }
        guard contentLength <= maximumLength else { throw BERError.lengthTooLarge }
        return Header(identifier: identifier, headerLength: 2 + lengthByteCount, contentLength: contentLength)
    }

    private static func read(from bytes: [UInt8], offset: inout Int) throws -> BERElement {
        let remaining = bytes[offset...]
        guard let header = try readHeader(remaining) else { throw BERError.truncated }
        let contentStart = offset + header.headerLength
        let contentEnd = contentStart + header.contentLength
        guard contentEnd <= bytes.count else { throw BERError.truncated }
        offset = contentEnd
        return BERElement(identifier: header.identifier, content: Array(bytes[contentStart..<contentEnd]))
    }
}
