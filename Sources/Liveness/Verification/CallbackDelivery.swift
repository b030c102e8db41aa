import Crypto
import Fluent
import Foundation
import Logging
import Vapor

/// POSTs each decided attempt to its scene's callback URL, signed with the scene's secret,
/// retrying with back-off; the delivery state is kept in the record. At start it resumes
/// callbacks a previous process left pending.
///
/// Signature header: `X-Veriface-Signature: t=UNIX_SECONDS,v1=HEX` where HEX is
/// HMAC-SHA256(secret, "UNIX_SECONDS." + body). The receiver recomputes it and rejects
/// timestamps older than a few minutes.
public actor CallbackDelivery {
    let client: any Client
    let db: any Database
    let logger: Logger
    /// Seconds to wait before each retry; one attempt more than there are delays.
    let delays: [Double]
    var scenes: SceneService?
    var inFlight: Set<UUID> = []

    public init(client: any Client, db: any Database, logger: Logger, delays: [Double] = [2, 5, 15, 60, 300]) {
        self.client = client
        self.db = db
        self.logger = logger
        self.delays = delays
    }

    public func start(scenes: SceneService) async throws {
        self.scenes = scenes
        let pending = try await VerificationModel.query(on: db).filter(\.$callbackState == CallbackState.pending.rawValue).all()
        for record in pending { enqueue(try record.requireID()) }
    }

    public func enqueue(_ row: UUID) {
        guard !inFlight.contains(row) else { return }
        inFlight.insert(row)
        Task { await self.deliver(row) }
    }

    private func deliver(_ row: UUID) async {
        defer { inFlight.remove(row) }
        for attempt in 0...delays.count {
            if attempt > 0 { try? await Task.sleep(for: .milliseconds(Int(delays[attempt - 1] * 1000))) }
            do {
                guard let record = try await VerificationModel.find(row, on: db), record.callbackState == CallbackState.pending.rawValue,
                      let scene = try await SceneModel.find(record.sceneRow, on: db),
                      let url = try SceneService.rules(record.rulesJSON).callbackURL,
                      let secret = try scenes?.callbackSecret(of: scene) else { return }
                let body = try Self.payload(record)
                let error = await post(body, to: url, secret: secret)
                record.callbackAttempts += 1
                record.callbackError = error
                if error == nil { record.callbackState = CallbackState.delivered.rawValue }
                else if attempt == delays.count { record.callbackState = CallbackState.failed.rawValue }
                try await record.save(on: db)
                if error == nil { return }
            } catch {
                logger.error("callback bookkeeping failed", metadata: ["verification": "\(row)", "error": "\(error)"])
                return
            }
        }
    }

    /// nil when the receiver answered 2xx; otherwise why not.
    private func post(_ body: Data, to url: String, secret: String) async -> String? {
        let timestamp = Int(Date().timeIntervalSince1970)
        let signature = Self.signature(body: body, timestamp: timestamp, secret: secret)
        do {
            let response = try await client.post(URI(string: url)) { request in
                request.headers.contentType = .json
                request.headers.replaceOrAdd(name: "X-Veriface-Signature", value: "t=\(timestamp),v1=\(signature)")
                request.body = ByteBuffer(data: body)
                request.timeout = .seconds(10)
            }
            return (200..<300).contains(response.status.code) ? nil : "HTTP \(response.status.code)"
        } catch {
            return "\(error)".prefix(200).description
        }
    }

    public static func signature(body: Data, timestamp: Int, secret: String) -> String {
        var signed = Data("\(timestamp).".utf8)
        signed.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data(secret.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    /// The callback's body: the outcome without images (the back end fetches those with
    /// GetVerificationResult).
    static func payload(_ record: VerificationModel) throws -> Data {
        struct Payload: Encodable {
            var verificationId: String
            var state: String
            var passed: Bool
            var code: Int?
            var message: String?
            var livenessScore: Double?
            var similarity: Double?
            var attempts: Int
            var externalUserId: String?
            var extra: String?
            var finishedAt: Date?
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(Payload(verificationId: try record.requireID().uuidString, state: record.state,
                                          passed: record.state == VerificationState.passed.rawValue, code: record.code,
                                          message: record.message, livenessScore: record.livenessScore, similarity: record.similarity,
                                          attempts: record.attempts, externalUserId: record.externalUserID, extra: record.extra,
                                          finishedAt: record.finishedAt))
    }
}
