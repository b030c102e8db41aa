import Foundation

/// The byte layout of one encrypted frame, shared by sealing and opening so the two can
/// never disagree:
///
///     0..<8    counter, big-endian
///     8..<16   capture time in ms since the epoch, big-endian
///     16...    AES-GCM ciphertext, then the 16-byte tag
///
/// The header is the AES-GCM additional data (so it cannot be changed without breaking the
/// tag) and the nonce is "VFH5" + the counter (so a nonce is never reused under one key as
/// long as the counter only grows, which FrameGate enforces on the receiving side).
enum FrameEnvelope {
    static let headerLength = 16
    static let tagLength = 16
    static let noncePrefix: [UInt8] = [0x56, 0x46, 0x48, 0x35] // "VFH5"

    static func header(counter: UInt64, captureMillis: UInt64) -> Data {
        var bytes = Data(capacity: headerLength)
        bytes.append(contentsOf: bigEndianBytes(counter))
        bytes.append(contentsOf: bigEndianBytes(captureMillis))
        return bytes
    }

    static func nonce(counter: UInt64) -> Data {
        Data(noncePrefix + bigEndianBytes(counter))
    }

    static func readUInt64(_ data: Data, at offset: Int) -> UInt64 {
        let start = data.startIndex + offset
        return data[start..<start + 8].reduce(0) { $0 << 8 | UInt64($1) }
    }

    private static func bigEndianBytes(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }
}
