import Fluent
import Foundation
import SingleSignOn
import Vapor

/// Lets a /v1 request through only when it is signed with TC3-HMAC-SHA256 by an active
/// credential, within 5 minutes of the server's clock, never seen before, from an allowed
/// address and under the application's QPS limit.
public struct SignedRequestMiddleware: AsyncMiddleware {
    public static let window = 300
    let key: DataKey
    let replayGuard: ReplayGuard
    let rateLimiter: RateLimiter
    let maxBody: Int

    public init(key: DataKey, maxBody: Int, replayGuard: ReplayGuard = ReplayGuard(window: window), rateLimiter: RateLimiter = RateLimiter()) {
        self.key = key
        self.maxBody = maxBody
        self.replayGuard = replayGuard
        self.rateLimiter = rateLimiter
    }

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        request.apiCaller = try await verify(request)
        return try await next.respond(to: request)
    }

    func verify(_ request: Request) async throws -> APICaller {
        guard let header = request.headers.first(name: .authorization) else { throw SignatureFailure.missing("no Authorization header") }
        guard let authorization = TC3Authorization(header: header) else { throw SignatureFailure.missing("malformed Authorization header") }
        guard let timestampText = request.headers.first(name: "X-TC-Timestamp"), let timestamp = Int(timestampText) else {
            throw SignatureFailure.missing("no X-TC-Timestamp header")
        }
        let signed = Set(authorization.signedHeaders)
        guard signed.contains("content-type"), signed.contains("host") else {
            throw SignatureFailure.missing("SignedHeaders must include content-type and host")
        }
        let now = Int(Date().timeIntervalSince1970)
        guard abs(now - timestamp) <= Self.window else { throw SignatureFailure.expired }

        guard let credential = try await CredentialModel.query(on: request.db)
            .filter(\.$secretID == authorization.secretID).first(),
            credential.status == CredentialStatus.active.rawValue,
            let application = try await ApplicationModel.find(credential.applicationID, on: request.db),
            !application.disabled
        else { throw SignatureFailure.unknownCredential }
        let secretKey = String(decoding: try key.open(credential.sealedSecretKey, context: "credential:\(credential.secretID)"), as: UTF8.self)

        // The signature covers the body, so it is read here, before the route sees it.
        let body = try await request.body.collect(max: maxBody).get().map { Data(buffer: $0) } ?? Data()
        var headers: [(name: String, value: String)] = []
        for name in authorization.signedHeaders {
            guard let value = request.headers.first(name: name) else { throw SignatureFailure.missing("signed header '\(name)' is absent") }
            headers.append((name, value))
        }
        var signature = TC3Signature(method: request.method.rawValue, canonicalURI: request.url.path.hasPrefix("/") ? request.url.path : "/" + request.url.path,
                                     canonicalQuery: request.url.query ?? "", headers: headers, payload: body,
                                     timestamp: timestamp, service: authorization.service)
        guard signature.date == authorization.date else { throw SignatureFailure.mismatch }
        var matches = ConstantTime.equals(signature.signature(secretKey: secretKey), authorization.signature)
        if !matches {
            // Tencent's SDKs always sign the URI "/" (their actions are named by X-TC-Action).
            signature.canonicalURI = "/"
            matches = ConstantTime.equals(signature.signature(secretKey: secretKey), authorization.signature)
        }
        guard matches else { throw SignatureFailure.mismatch }
        guard await replayGuard.admit(signature: authorization.signature, timestamp: timestamp, now: now) else {
            throw SignatureFailure.replayed
        }
        // The socket's address, not X-Forwarded-For: a header anyone can set must not open the list.
        let address = request.remoteAddress?.ipAddress ?? ""
        guard try IPAllowList(application.ipAllowList).allows(address) else { throw SignatureFailure.addressNotAllowed(address) }
        guard await rateLimiter.admit(try application.requireID(), qps: application.qpsLimit) else { throw SignatureFailure.rateLimited }

        // Written at most once a minute: a write per call would double the database load.
        if (credential.lastUsedAt ?? .distantPast) < Date().addingTimeInterval(-60) {
            credential.lastUsedAt = Date()
            try await credential.save(on: request.db)
        }
        return APICaller(applicationID: try application.requireID(), organisationID: application.organisationID,
                         secretID: credential.secretID, action: request.headers.first(name: "X-TC-Action"))
    }
}
