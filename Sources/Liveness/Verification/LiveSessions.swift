import Foundation

/// The verifications a page is about to stream or is streaming, in this process: the
/// session's key pair lives here between the page's session request and its WebSocket, and
/// only one WebSocket may stream a verification at a time.
///
/// In memory on purpose: the private key never touches the database. Behind a load
/// balancer the page's two requests must reach the same node (sticky sessions on the token).
public actor LiveSessions {
    public struct Pending: Sendable {
        public var sessionID: String
        public var exchange: FrameKeyExchange
        public var challenge: Challenge
        public var preparedAt: Date
    }

    private var pending: [UUID: Pending] = [:]
    private var streaming: Set<UUID> = []

    public init() {}

    /// A fresh key pair and session id for the verification's next attempt.
    func prepare(_ row: UUID, challenge: Challenge) -> Pending {
        forgetStale()
        var generator = SystemRandomNumberGenerator()
        let id = (0..<2).map { _ in String(format: "%016llx", generator.next() as UInt64) }.joined()
        let prepared = Pending(sessionID: id, exchange: FrameKeyExchange(), challenge: challenge, preparedAt: Date())
        pending[row] = prepared
        return prepared
    }

    /// Takes the prepared attempt for streaming; nil when none is prepared or one streams already.
    func claim(_ row: UUID) -> Pending? {
        guard !streaming.contains(row), let prepared = pending.removeValue(forKey: row) else { return nil }
        streaming.insert(row)
        return prepared
    }

    func isStreaming(_ row: UUID) -> Bool { streaming.contains(row) }

    func release(_ row: UUID) { streaming.remove(row) }

    /// A page that asked for a session and never connected leaves its key here; an hour is
    /// longer than any scene lets a session live.
    private func forgetStale() {
        let limit = Date().addingTimeInterval(-3600)
        pending = pending.filter { $0.value.preparedAt > limit }
    }
}
