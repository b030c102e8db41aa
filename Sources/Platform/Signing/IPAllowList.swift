import Foundation

/// CIDR blocks (IPv4 and IPv6) an application may call from.
public struct IPAllowList: Sendable {
    struct Block: Sendable { var bytes: [UInt8]; var prefix: Int }
    let blocks: [Block]

    /// Throws `invalid` naming the first entry that is not an address or CIDR block.
    public init(_ entries: [String]) throws {
        blocks = try entries.map { entry in
            let parts = entry.split(separator: "/", maxSplits: 1).map(String.init)
            guard let bytes = Self.parse(parts[0]) else { throw PlatformFailure.invalid("'\(entry)' is not an IP address or CIDR block") }
            let prefix = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
            guard let prefix, (0...bytes.count * 8).contains(prefix) else {
                throw PlatformFailure.invalid("'\(entry)' has a bad prefix length")
            }
            return Block(bytes: bytes, prefix: prefix)
        }
    }

    public var isEmpty: Bool { blocks.isEmpty }

    /// An empty list allows everyone.
    public func allows(_ address: String) -> Bool {
        if blocks.isEmpty { return true }
        guard var bytes = Self.parse(address) else { return false }
        if bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
            bytes = Array(bytes[12...])  // IPv4-mapped IPv6
        }
        return blocks.contains { block in
            guard block.bytes.count == bytes.count else { return false }
            var remaining = block.prefix
            for i in 0..<bytes.count where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xff << (8 - bits))
                if bytes[i] & mask != block.bytes[i] & mask { return false }
                remaining -= bits
            }
            return true
        }
    }

    static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}
