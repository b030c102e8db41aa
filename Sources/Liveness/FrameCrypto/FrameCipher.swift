import Crypto
import Foundation

/// AES-256-GCM over frame envelopes with one session's key. The server only opens;
/// `seal` is the page's half, for tests and tools that play the client.
public struct FrameCipher: Sendable {
    private let key: SymmetricKey

    public init(key: SymmetricKey) {
        self.key = key
    }

    public func seal(_ jpeg: Data, counter: UInt64, captureMillis: UInt64) throws -> Data {
        let header = FrameEnvelope.header(counter: counter, captureMillis: captureMillis)
        let nonce = try AES.GCM.Nonce(data: FrameEnvelope.nonce(counter: counter))
        let box = try AES.GCM.seal(jpeg, using: key, nonce: nonce, authenticating: header)
        return header + box.ciphertext + box.tag
    }

    /// The header's fields and the plaintext. Anything that does not authenticate, a
    /// truncated envelope included, is `badTag`: the sender gets no finer oracle.
    public func open(_ envelope: Data) throws -> (counter: UInt64, captureMillis: UInt64, payload: Data) {
        let envelope = Data(envelope) // rebase: slices may not start at index 0
        guard envelope.count >= FrameEnvelope.headerLength + FrameEnvelope.tagLength else {
            throw FrameRefusal.badTag
        }
        let counter = FrameEnvelope.readUInt64(envelope, at: 0)
        let captureMillis = FrameEnvelope.readUInt64(envelope, at: 8)
        let header = envelope.prefix(FrameEnvelope.headerLength)
        let body = envelope.dropFirst(FrameEnvelope.headerLength)
        do {
            let box = try AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: FrameEnvelope.nonce(counter: counter)),
                ciphertext: body.dropLast(FrameEnvelope.tagLength),
                tag: body.suffix(FrameEnvelope.tagLength))
            let payload = try AES.GCM.open(box, using: key, authenticating: header)
            return (counter, captureMillis, payload)
        } catch {
            throw FrameRefusal.badTag
        }
    }
}
