import Crypto
import FaceServices
import Foundation
import Platform

/// Binds LivenessCompare to the action-sequence call that handed out its actions: the
/// actions, the application and an expiry, sealed with the data key into a token that the
/// compare call redeems once. Without it a client could film every ordering once and pick
/// the one that matches.
///
/// Used tokens are remembered in this process until they expire; behind a load balancer a
/// token could be redeemed once per node (as the signature replay guard).
public actor ActionSequenceTokens {
    public static let lifetime: TimeInterval = 600
    static let context = "liveness-action-sequence"

    private struct Content: Codable {
        var actions: [LivenessAction]
        var application: UUID
        var expires: Date
    }

    private let key: DataKey
    private var used: [String: Date] = [:]

    public init(key: DataKey) { self.key = key }

    /// A token for `actions`, for this application, for `lifetime` seconds.
    public func issue(_ actions: [LivenessAction], application: UUID, now: Date = Date()) throws -> String {
        let content = Content(actions: actions, application: application, expires: now.addingTimeInterval(Self.lifetime))
        return try key.seal(try JSONEncoder().encode(content), context: Self.context).base64EncodedString()
    }

    /// The actions behind `token`; refused when it is not ours, another application's,
    /// expired or already used.
    public func redeem(_ token: String, application: UUID, now: Date = Date()) throws -> [LivenessAction] {
        used = used.filter { $0.value > now }
        guard let sealed = Data(base64Encoded: token), let plain = try? key.open(sealed, context: Self.context),
              let content = try? JSONDecoder().decode(Content.self, from: plain), content.application == application else {
            throw ServiceError(.invalidParameter, "sequenceToken is not one this server handed out to this application")
        }
        guard content.expires > now else { throw ServiceError(.invalidParameter, "sequenceToken has expired; ask for a new action sequence") }
        let digest = SHA256.hash(data: sealed).map { String(format: "%02x", $0) }.joined()
        guard used[digest] == nil else { throw ServiceError(.invalidParameter, "sequenceToken was already used") }
        used[digest] = content.expires
        return content.actions
    }
}
