import Foundation

/// Debian's ffmpeg, which `veriface eval pad` uses to make its attack videos (installed by
/// `scripts/install-deps --test`).
enum Ffmpeg {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        process.arguments = ["-v", "error", "-y"] + arguments
        let errors = Pipe()
        process.standardError = errors
        do { try process.run() } catch {
            throw Failure(description: "ffmpeg is needed to make the attack videos (apt-get install ffmpeg): \(error)")
        }
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "ffmpeg \(arguments.joined(separator: " ")): \(String(decoding: message.suffix(2000), as: UTF8.self))")
        }
    }

    /// Writes `out` unless it is already there (the corpus is reused between runs).
    static func make(_ out: URL, _ arguments: [String]) throws {
        guard !FileManager.default.fileExists(atPath: out.path) else { return }
        let partial = out.deletingLastPathComponent().appendingPathComponent("partial-" + out.lastPathComponent)
        try run(arguments + [partial.path])
        try FileManager.default.moveItem(at: partial, to: out)
    }
}
