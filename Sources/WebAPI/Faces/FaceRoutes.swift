import FaceServices
import Vapor

/// POST /v1/faces/detect, /v1/faces/analyze and /v1/faces/compare.
struct FaceRoutes: RouteCollection {
    let service: FaceService

    /// Two 5 MB images as base64 plus JSON framing fit well inside this.
    static let maxBody: ByteCount = "16mb"

    func boot(routes: any RoutesBuilder) throws {
        let faces = routes.grouped("v1", "faces")
        faces.on(.POST, "detect", body: .collect(maxSize: Self.maxBody), use: detect)
        faces.on(.POST, "analyze", body: .collect(maxSize: Self.maxBody), use: analyze)
        faces.on(.POST, "compare", body: .collect(maxSize: Self.maxBody), use: compare)
    }

    @Sendable func detect(_ request: Request) async throws -> DetectResponse {
        let fields = try ImageInput.fields(DetectRequest.self, from: request)
        let options = try fields.options(defaultMaxFaces: 10)
        let image = try await service.decodeOffLoop(try ImageInput.images(["image"], from: request)[0])
        request.engineUsed = options.detector.rawValue
        let faces = try await service.detect(image, options: options)
        return DetectResponse(RequestId: request.requestID, imageWidth: image.width, imageHeight: image.height,
                              detector: options.detector.rawValue, faces: faces.map(FaceDTO.init))
    }

    @Sendable func analyze(_ request: Request) async throws -> AnalyzeResponse {
        let fields = try ImageInput.fields(DetectRequest.self, from: request)
        let options = try fields.options(defaultMaxFaces: 5)
        let image = try await service.decodeOffLoop(try ImageInput.images(["image"], from: request)[0])
        request.engineUsed = options.detector.rawValue + "+mesh"
        let faces = try await service.analyze(image, options: options, want68: true)
        return AnalyzeResponse(RequestId: request.requestID, imageWidth: image.width, imageHeight: image.height,
                               faces: faces.map(AnalyzedFaceDTO.init))
    }

    @Sendable func compare(_ request: Request) async throws -> CompareResponse {
        let fields = try ImageInput.fields(CompareRequest.self, from: request)
        let bytes = try ImageInput.images(["imageA", "imageB"], from: request)
        let a = try await service.decodeOffLoop(bytes[0])
        let b = try await service.decodeOffLoop(bytes[1])
        let outcome = try await service.compare(a, b, mode: fields.mode ?? .fused, qualityControl: fields.qualityControl ?? .none)
        let c = outcome.comparison
        request.engineUsed = c.engineScores.keys.map(\.rawValue).sorted().joined(separator: "+")
        return CompareResponse(
            RequestId: request.requestID, score: (c.score * 100).rounded() / 100, thresholds: CompareCalibration.thresholds,
            mode: c.mode.rawValue,
            engines: Dictionary(uniqueKeysWithValues: c.engineScores.map { ($0.key.rawValue, ($0.value * 100).rounded() / 100) }),
            faceA: FaceDTO(outcome.first), faceB: FaceDTO(outcome.second))
    }
}
