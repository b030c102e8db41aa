import Crypto
import Foundation

/// Catches a still image fed in place of a camera. A camera's sensor noise makes every
/// frame different, even of a still scene; a slow camera makes the page send some frames
/// twice (it grabs about 12 a second), never two seconds of the same picture. A run that
/// long is a copy: a virtual camera playing a photo, or a doctored page.
struct FrameRepetition: Sendable {
    /// Identical frames in a row that end the attempt (two seconds at 12 a second).
    static let limit = 24

    private var last: SHA256.Digest?
    private(set) var run = 0

    /// Sees a frame; true once `limit` identical frames came in a row.
    mutating func isCopy(_ jpeg: Data) -> Bool {
        // The second half of the bytes is entropy-coded picture: the page's own comment
        // (the colour-flash report) sits at the start and may change on a still picture.
        let digest = SHA256.hash(data: jpeg.suffix(jpeg.count / 2))
        run = digest == last ? run + 1 : 1
        last = digest
        return run >= Self.limit
    }
}
