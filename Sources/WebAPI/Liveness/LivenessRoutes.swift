import FaceServices
import Gallery
import Liveness
import Vapor

/// Scenes and verifications for the signed application: /v1/scenes (the integrator's
/// rule ids), StartVerification (POST /v1/verifications) and GetVerificationResult
/// (POST /v1/verifications/result: the BizToken stays out of URLs and access logs).
struct LivenessRoutes: RouteCollection {
    let verifications: VerificationService

    func boot(routes: any RoutesBuilder) throws {
        let scenes = routes.grouped("v1", "scenes")
        scenes.post(use: createScene)
        scenes.get(use: listScenes)
        scenes.get(":sceneId", use: getScene)
        scenes.put(":sceneId", use: updateScene)
        scenes.delete(":sceneId", use: deleteScene)
        let v1 = routes.grouped("v1", "verifications")
        v1.on(.POST, body: .collect(maxSize: FaceRoutes.maxBody), use: start)
        v1.post("result", use: result)
    }

    func caller(_ request: Request) throws -> GalleryCaller { try request.galleryCaller }

    @Sendable func createScene(_ request: Request) async throws -> Answer<SceneInfo> {
        let body = try request.content.decode(SceneRequest.self)
        guard let sceneID = body.sceneId else { throw Abort(.badRequest, reason: "sceneId is required") }
        return Answer(RequestId: request.requestID, result: try await verifications.scenes.create(
            try caller(request), sceneID: sceneID, rules: body.rules, callbackSecret: body.callbackSecret, on: request.db))
    }

    @Sendable func listScenes(_ request: Request) async throws -> Listed<SceneInfo> {
        let items = try await verifications.scenes.list(try caller(request), on: request.db)
        return Listed(RequestId: request.requestID, items: items, total: items.count)
    }

    @Sendable func getScene(_ request: Request) async throws -> Answer<SceneInfo> {
        Answer(RequestId: request.requestID, result: try await verifications.scenes.get(try caller(request), sceneID: try parameter(request, "sceneId"), on: request.db))
    }

    @Sendable func updateScene(_ request: Request) async throws -> Answer<SceneInfo> {
        let body = try request.content.decode(SceneRequest.self)
        return Answer(RequestId: request.requestID, result: try await verifications.scenes.update(
            try caller(request), sceneID: try parameter(request, "sceneId"), rules: body.rules, callbackSecret: body.callbackSecret, on: request.db))
    }

    @Sendable func deleteScene(_ request: Request) async throws -> Answer<[String: String]> {
        let sceneID = try parameter(request, "sceneId")
        try await verifications.scenes.delete(try caller(request), sceneID: sceneID, on: request.db)
        return Answer(RequestId: request.requestID, result: ["sceneId": sceneID])
    }

    @Sendable func start(_ request: Request) async throws -> Answer<VerificationService.Started> {
        let body = try ImageInput.fields(StartVerificationRequest.self, from: request)
        var image: DecodedImage?
        if body.image != nil || request.headers.contentType?.subType == "form-data" {
            if let bytes = try? ImageInput.images(["image"], from: request).first { image = try await verifications.faces.decodeOffLoop(bytes) }
        }
        let started = try await verifications.start(
            try caller(request),
            .init(sceneID: body.sceneId, referenceImage: image, referencePersonID: body.personId, externalUserID: body.externalUserId,
                  redirectURL: body.redirectUrl, extra: body.extra),
            publicBaseURL: request.publicBaseURL, on: request.db)
        return Answer(RequestId: request.requestID, result: started)
    }

    @Sendable func result(_ request: Request) async throws -> Answer<VerificationResult> {
        let body = try request.content.decode(VerificationResultRequest.self)
        return Answer(RequestId: request.requestID, result: try await verifications.result(
            try caller(request), bizToken: body.bizToken, images: body.images ?? false, on: request.db))
    }
}

extension Request {
    /// Where browsers reach this server: VERIFACE_PUBLIC_URL when set (behind a proxy),
    /// else the scheme and Host of this request.
    var publicBaseURL: String {
        if let configured = Environment.get("VERIFACE_PUBLIC_URL"), !configured.isEmpty { return configured }
        let scheme = headers.first(name: "X-Forwarded-Proto") ?? "http"
        return "\(scheme)://\(headers.first(name: .host) ?? "127.0.0.1:8080")"
    }
}
