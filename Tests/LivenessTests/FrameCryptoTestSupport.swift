import Foundation

extension Data {
    /// Bytes from a hex string (test vectors are written as hex).
    init(frameCryptoHex hex: String) {
        var bytes = [UInt8]()
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        self.init(bytes)
    }

    var frameCryptoHex: String { map { String(format: "%02x", $0) }.joined() }
}

/// A tiny stand-in JPEG: SOI, an APP0 marker, filler, EOI. FrameGate only looks at the ends.
func fakeJPEG(size: Int = 64) -> Data {
    Data([0xFF, 0xD8, 0xFF, 0xE0]) + Data(repeating: 0x42, count: max(0, size - 6)) + Data([0xFF, 0xD9])
}
