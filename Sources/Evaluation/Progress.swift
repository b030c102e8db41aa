import Foundation

/// A single progress line on standard error, rewritten in place (`\r`) at most every
/// 200 ms, so long evaluations show they are alive without flooding logs.
public final class ProgressLine: @unchecked Sendable {
    private let label: String
    private let total: Int
    private var done = 0
    private var lastDraw = Date.distantPast
    private let lock = NSLock()
    private let start = Date()

    public init(_ label: String, total: Int) {
        self.label = label
        self.total = total
    }

    public func advance(by count: Int = 1) {
        lock.lock()
        defer { lock.unlock() }
        done += count
        if done == total || Date().timeIntervalSince(lastDraw) > 0.2 {
            lastDraw = Date()
            draw()
        }
    }

    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        draw()
        FileHandle.standardError.write(Data("\n".utf8))
    }

    private func draw() {
        let elapsed = Date().timeIntervalSince(start)
        let line = String(format: "\r%@: %d/%d (%.0f%%) %.1fs", label, done, total,
                          total > 0 ? 100.0 * Double(done) / Double(total) : 100, elapsed)
        FileHandle.standardError.write(Data(line.utf8))
    }
}
