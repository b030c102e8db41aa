import Foundation

/// When the page showed each colour of the flash, as it reports inside every encrypted
/// frame: a JPEG comment segment right after the start-of-image marker holding
/// `vf-flash:` and a JSON array of `[step, millis]` pairs (step -1 = the flash ended;
/// millis on the frames' capture clock). Inside the frame's encryption, so only the
/// page's session can say it, and a valid JPEG for any decoder.
struct FlashReport: Sendable, Equatable {
    var shown: [(step: Int, millis: UInt64)]

    static let prefix = Data("vf-flash:".utf8)

    static func == (a: FlashReport, b: FlashReport) -> Bool {
        a.shown.map(\.step) == b.shown.map(\.step) && a.shown.map(\.millis) == b.shown.map(\.millis)
    }

    /// The report in `jpeg`'s leading segments, or nil when it has none (or a malformed one).
    static func read(_ jpeg: Data) -> FlashReport? {
        let bytes = [UInt8](jpeg.prefix(4096))
        guard bytes.count > 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        var offset = 2
        // Only the segments before the image data: APPn and COM.
        while offset + 4 <= bytes.count, bytes[offset] == 0xFF {
            let marker = bytes[offset + 1]
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard length >= 2, offset + 2 + length <= bytes.count else { return nil }
            if marker == 0xFE {
                let payload = Data(bytes[(offset + 4)..<(offset + 2 + length)])
                if payload.starts(with: prefix) { return parse(payload.dropFirst(prefix.count)) }
            } else if !(0xE0...0xEF).contains(marker) {
                return nil
            }
            offset += 2 + length
        }
        return nil
    }

    private static func parse(_ json: Data) -> FlashReport? {
        guard let pairs = try? JSONDecoder().decode([[Int64]].self, from: json), pairs.count <= 64 else { return nil }
        var shown: [(Int, UInt64)] = []
        for pair in pairs {
            guard pair.count == 2, pair[0] >= -1, pair[0] < 64, pair[1] >= 0 else { return nil }
            shown.append((Int(pair[0]), UInt64(pair[1])))
        }
        return FlashReport(shown: shown)
    }
}
