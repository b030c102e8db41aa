import FaceServices
import Liveness
import Vapor

/// POST /v1/faces/liveness: static liveness of one photo (JSON base64 or multipart, like detect).
struct StaticLivenessRoutes: RouteCollection {
    let liveness: StaticLiveness

    func boot(routes: any RoutesBuilder) throws {
        routes.grouped("v1", "faces").on(.POST, "liveness", body: .collect(maxSize: FaceRoutes.maxBody), use: judge)
    }

    @Sendable func judge(_ request: Request) async throws -> StaticLivenessResponse {
        let fields = try ImageInput.fields(StaticLivenessRequest.self, from: request)
        let image = try await liveness.faces.decodeOffLoop(try ImageInput.images(["image"], from: request)[0])
        request.engineUsed = "yunet+texture"
        let result = try await liveness.judge(image, qualityControl: fields.qualityControl ?? .none)
        return StaticLivenessResponse(RequestId: request.requestID, score: (result.score * 100).rounded() / 100,
                                      threshold: result.threshold, isLive: result.isLive,
                                      detectors: result.detectors.mapValues { ($0 * 100).rounded() / 100 }, face: FaceDTO(result.face))
    }
}

struct StaticLivenessRequest: Content {
    var qualityControl: QualityControl?
}

struct StaticLivenessResponse: Content {
    var RequestId: String
    /// 0-100; at or above `threshold`: live.
    var score: Float
    var threshold: Float
    var isLive: Bool
    /// Each detector's score ("colour texture": a print's grain and colours; "moire": a
    /// screen's grid); `score` is the lowest.
    var detectors: [String: Float]
    var face: FaceDTO
}
