import Foundation

/// Per-session checks on frames that decrypted: strictly growing counters (no replay, no
/// reordering), capture times near the server's clock and never going back, and a payload
/// that looks like one whole JPEG of bounded size. State changes only when a frame is
/// admitted, so a refused frame does not move the watermarks.
public struct FrameGate: Sendable {
    public let maxSkew: Double
    public let maxFrameBytes: Int
    private var lastCounter: UInt64 = 0
    private var lastCaptureMillis: UInt64 = 0

    public init(maxSkew: Double = 5, maxFrameBytes: Int = 1 << 20) {
        self.maxSkew = maxSkew
        self.maxFrameBytes = maxFrameBytes
    }

    public mutating func admit(counter: UInt64, captureMillis: UInt64, payload: Data, now: Date) throws {
        // Counters start at 1, so 0 is never admitted either.
        guard counter > lastCounter else { throw FrameRefusal.replayed }
        let captured = Double(captureMillis) / 1000
        guard abs(captured - now.timeIntervalSince1970) <= maxSkew, captureMillis >= lastCaptureMillis else {
            throw FrameRefusal.stale
        }
        guard payload.count <= maxFrameBytes, Self.looksLikeJPEG(payload) else {
            throw FrameRefusal.badImage
        }
        lastCounter = counter
        lastCaptureMillis = captureMillis
    }

    /// SOI + marker at the start, EOI at the end: a cheap guard before the decoder sees it,
    /// which also catches frames cut short. Zero padding after EOI is tolerated because
    /// some encoders write it.
    static func looksLikeJPEG(_ data: Data) -> Bool {
        let bytes = [UInt8](data.prefix(3))
        guard bytes == [0xFF, 0xD8, 0xFF] else { return false }
        guard let end = data.lastIndex(where: { $0 != 0 }), end > data.startIndex + 3 else { return false }
        return data[end] == 0xD9 && data[end - 1] == 0xFF
    }
}
