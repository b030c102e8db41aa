import Crypto
import Foundation
import Liveness
import XCTest

final class FrameCryptoTests: XCTestCase {
    private let sessionId = "fedcba9876543210fedcba9876543210"

    /// A server and a page that agreed on a key, as a session does after `hello`.
    private func agreedPair(sessionId: String? = nil) throws -> (server: FrameCipher, page: FrameCipher) {
        let server = FrameKeyExchange()
        let page = FrameKeyExchange()
        let id = sessionId ?? self.sessionId
        return (try server.cipher(clientPublicKeyRaw: page.publicKeyRaw, sessionId: id),
                try page.cipher(clientPublicKeyRaw: server.publicKeyRaw, sessionId: id))
    }

    func testRoundTrip() throws {
        let (server, page) = try agreedPair()
        let jpeg = fakeJPEG(size: 5000)
        let envelope = try page.seal(jpeg, counter: 7, captureMillis: 1_700_000_000_123)
        XCTAssertEqual(envelope.count, 16 + jpeg.count + 16)
        let opened = try server.open(envelope)
        XCTAssertEqual(opened.counter, 7)
        XCTAssertEqual(opened.captureMillis, 1_700_000_000_123)
        XCTAssertEqual(opened.payload, jpeg)
        // A slice that does not start at index 0 (as a WebSocket buffer may hand it over).
        let framed = Data([1, 2, 3]) + envelope
        XCTAssertEqual(try server.open(framed.dropFirst(3)).payload, jpeg)
    }

    func testEveryFlippedBitOfHeaderAndSomeOfBodyFailTheTag() throws {
        let (server, page) = try agreedPair()
        let envelope = try page.seal(fakeJPEG(), counter: 1, captureMillis: 1_700_000_000_000)
        let positions = Array(0..<16) + [16, 40, envelope.count - 17, envelope.count - 1]
        for position in positions {
            for bit in [0, 7] {
                var tampered = envelope
                tampered[position] ^= UInt8(1 << bit)
                XCTAssertThrowsError(try server.open(tampered), "byte \(position) bit \(bit)") {
                    XCTAssertEqual($0 as? FrameRefusal, .badTag)
                }
            }
        }
    }

    func testTruncatedEnvelopesFailTheTag() throws {
        let (server, page) = try agreedPair()
        let envelope = try page.seal(fakeJPEG(), counter: 1, captureMillis: 1_700_000_000_000)
        for length in [0, 15, 16, 31, envelope.count - 1] {
            XCTAssertThrowsError(try server.open(envelope.prefix(length))) { XCTAssertEqual($0 as? FrameRefusal, .badTag) }
        }
    }

    func testAnotherSessionsKeyFailsTheTag() throws {
        let (server, _) = try agreedPair()
        let (_, otherPage) = try agreedPair()
        let envelope = try otherPage.seal(fakeJPEG(), counter: 1, captureMillis: 1_700_000_000_000)
        XCTAssertThrowsError(try server.open(envelope)) { XCTAssertEqual($0 as? FrameRefusal, .badTag) }
    }

    func testTheSameKeyPairsUnderAnotherSessionIdGiveAnotherKey() throws {
        let serverKeys = FrameKeyExchange()
        let pageKeys = FrameKeyExchange()
        let server = try serverKeys.cipher(clientPublicKeyRaw: pageKeys.publicKeyRaw, sessionId: sessionId)
        let page = try pageKeys.cipher(clientPublicKeyRaw: serverKeys.publicKeyRaw, sessionId: "another")
        let envelope = try page.seal(fakeJPEG(), counter: 1, captureMillis: 1_700_000_000_000)
        XCTAssertThrowsError(try server.open(envelope)) { XCTAssertEqual($0 as? FrameRefusal, .badTag) }
    }

    func testBadClientPointsAreRefused() throws {
        let server = FrameKeyExchange()
        let good = FrameKeyExchange().publicKeyRaw
        var offCurve = good
        offCurve[64] ^= 1
        var compressedPrefix = good
        compressedPrefix[0] = 0x02
        let cases: [(String, Data)] = [
            ("empty", Data()),
            ("x only (compressed length)", Data([0x02]) + good[1..<33]),
            ("wrong prefix", compressedPrefix),
            ("not on the curve", offCurve),
            ("point at infinity", Data([0x00])),
            ("all zero", Data(repeating: 0, count: 65)),
            ("too long", good + Data([0])),
        ]
        for (name, point) in cases {
            XCTAssertThrowsError(try server.cipher(clientPublicKeyRaw: point, sessionId: sessionId), name) {
                XCTAssertEqual($0 as? FrameRefusal, .badHandshake, name)
            }
        }
    }

    func testCodesFollowTheProtocolTable() {
        XCTAssertEqual(FrameRefusal.badHandshake.code, 4100)
        XCTAssertEqual(FrameRefusal.badTag.code, 4102)
        XCTAssertEqual(FrameRefusal.stale.code, 4103)
        XCTAssertEqual(FrameRefusal.replayed.code, 4104)
        XCTAssertEqual(FrameRefusal.badImage.code, 2004)
    }
}
