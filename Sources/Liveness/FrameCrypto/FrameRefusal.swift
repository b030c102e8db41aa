/// Why the server refuses a handshake or a frame (docs/h5-protocol.md section 3). The
/// session answers an `error` message with `code` and closes the socket.
public enum FrameRefusal: Error, Sendable, Equatable {
    /// A frame before `hello`, or a `hello` whose key is not a P-256 point.
    case badHandshake
    /// The AES-GCM tag does not verify: another key, or a changed header or body.
    case badTag
    /// The counter is not greater than the previous frame's (replayed or reordered).
    case replayed
    /// The capture time is too far from the server's clock, or earlier than the previous frame's.
    case stale
    /// The plaintext is not a JPEG, or is too large.
    case badImage

    /// The return code of the protocol's table (Tencent FaceID numbering for 2004).
    public var code: Int {
        switch self {
        case .badHandshake: 4100
        case .badTag: 4102
        case .stale: 4103
        case .replayed: 4104
        case .badImage: 2004
        }
    }
}
