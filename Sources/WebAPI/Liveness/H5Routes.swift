import FaceServices
import Foundation
import Liveness
import Platform
import Vapor

/// The H5 page and what it talks to, unsigned (the BizToken is the page's credential):
/// the static page under /h5/, its session (GET /h5/api/session) and the frame WebSocket
/// (/h5/ws). Contract: docs/h5-protocol.md.
struct H5Routes: RouteCollection {
    let verifications: VerificationService
    let assets = StaticAssets(
        root: LivenessAssets.root,
        contentSecurityPolicy: "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
    /// A JPEG of 480x640 is about 30-80 KB; the frame limit (1 MiB) is checked after decryption.
    static let maxMessageBytes = 2 << 20

    func boot(routes: any RoutesBuilder) throws {
        let h5 = routes.grouped("h5")
        h5.get("verify") { try assets.serve("index.html", $0) }
        h5.get("api", "session", use: session)
        h5.on(.POST, "api", "video", body: .collect(maxSize: Self.maxVideoBody), use: recorded)
        h5.webSocket("ws", maxFrameSize: WebSocketMaxFrameSize(integerLiteral: Self.maxMessageBytes), onUpgrade: stream)
        h5.get("**") { request in try assets.serve(request.parameters.getCatchall().joined(separator: "/"), request) }
    }

    /// The sealed video (10 MB, VideoLivenessLimits) and its envelope's 32 bytes.
    static let maxVideoBody = ByteCount(value: 10 * 1024 * 1024 + 32)

    /// POST /h5/api/video?token=: the recorded attempt (docs/h5-protocol.md section 5).
    @Sendable func recorded(_ request: Request) async throws -> AttemptAnswer {
        guard let key = request.headers.first(name: "X-Client-Key").flatMap({ Data(base64Encoded: $0) }) else {
            throw ServiceError(.invalidParameter, "X-Client-Key: the page's P-256 public key, base64")
        }
        guard let body = request.body.data, body.readableBytes > 0 else { throw ServiceError(.videoUnreadable, "the upload is empty") }
        let device = ["userAgent": request.headers.first(name: .userAgent), "screen": request.headers.first(name: "X-Screen"),
                      "language": request.headers.first(name: .acceptLanguage)?.split(separator: ",").first.map(String.init)]
            .compactMapValues { $0.map { String($0.prefix(256)) } }
        let upload = RecordedUpload(clientPublicKey: key, envelope: Data(buffer: body), ip: request.remoteAddress?.ipAddress, device: device)
        return try await verifications.recordedAttempt(token: request.query[String.self, at: "token"] ?? "", upload: upload,
                                                       logger: request.logger, on: request.db)
    }

    @Sendable func session(_ request: Request) async throws -> PageSession {
        try await verifications.pageSession(token: request.query[String.self, at: "token"] ?? "", ip: request.remoteAddress?.ipAddress,
                                            userAgent: request.headers.first(name: .userAgent), on: request.db)
    }

    /// Runs on the socket's event loop (the handlers must be set there), then hands over to
    /// a task: messages reach the session through a stream, in order.
    @Sendable func stream(_ request: Request, _ socket: WebSocket) {
        let (messages, feed) = AsyncStream.makeStream(of: LiveSession.Incoming.self, bufferingPolicy: .bufferingNewest(64))
        socket.onText { _, text in feed.yield(.text(text)) }
        socket.onBinary { _, buffer in feed.yield(.binary(Data(buffer: buffer))) }
        socket.onClose.whenComplete { _ in
            feed.yield(.closed)
            feed.finish()
        }
        Task { await run(request, socket, messages) }
    }

    private func run(_ request: Request, _ socket: WebSocket, _ messages: AsyncStream<LiveSession.Incoming>) async {
        let outbound = LiveSession.Outbound(send: { text in try? await socket.send(text) }, close: { try? await socket.close() })
        do {
            let session = try await verifications.openLive(token: request.query[String.self, at: "token"] ?? "",
                                                           ip: request.remoteAddress?.ipAddress,
                                                           userAgent: request.headers.first(name: .userAgent), outbound: outbound,
                                                           logger: request.logger, on: request.db)
            await session.run(messages)
        } catch {
            let (_, code, message) = APIErrorMiddleware.classify(error)
            let body = (try? JSONSerialization.data(withJSONObject: ["type": "error", "code": code.rawValue, "message": message])) ?? Data()
            try? await socket.send(String(decoding: body, as: UTF8.self))
            try? await socket.close()
        }
    }
}
