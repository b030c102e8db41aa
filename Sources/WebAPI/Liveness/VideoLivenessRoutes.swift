import FaceServices
import Foundation
import Liveness
import Vapor

/// Liveness of an uploaded video, for clients that record rather than stream:
/// POST /v1/liveness/action-sequence hands out the actions to perform, and
/// POST /v1/liveness/compare (LivenessCompare) analyses the video with the same tracker
/// as a live session, comparing the best frame with an optional photo.
struct VideoLivenessRoutes: RouteCollection {
    let video: VideoLiveness
    let sequences: ActionSequenceTokens

    func boot(routes: any RoutesBuilder) throws {
        let liveness = routes.grouped("v1", "liveness")
        liveness.post("action-sequence", use: actionSequence)
        liveness.on(.POST, "compare", body: .collect(maxSize: FaceRoutes.maxBody), use: compare)
    }

    /// The endpoints whose body is a video: one too large for them is a 1102, not a 2004.
    static func takesVideo(_ path: String) -> Bool {
        path == "/v1/liveness/compare" || path == "/h5/api/video"
    }

    struct SequenceRequest: Content {
        var count: Int?
        var actionPool: [LivenessAction]?
    }

    struct Sequence: Content {
        var actions: [LivenessAction]
        /// Give it to LivenessCompare to bind the upload to these actions (once, 10 minutes).
        var sequenceToken: String
    }

    @Sendable func actionSequence(_ request: Request) async throws -> Answer<Sequence> {
        let body = (try? request.content.decode(SequenceRequest.self)) ?? SequenceRequest()
        let count = body.count ?? 2
        let pool = body.actionPool ?? LivenessAction.allCases
        guard (1...4).contains(count), !pool.isEmpty else {
            throw ServiceError(.invalidParameter, "count is 1-4 and actionPool not empty")
        }
        let actions = Challenge.draw(from: pool, count: count).actions
        let token = try await sequences.issue(actions, application: try request.galleryCaller.applicationID)
        return Answer(RequestId: request.requestID, result: Sequence(actions: actions, sequenceToken: token))
    }

    struct CompareRequest: Content {
        var video: String?
        var image: String?
        var mode: SceneRules.Mode?
        var actions: [LivenessAction]?
        /// From /v1/liveness/action-sequence: the actions it handed out, checked once.
        var sequenceToken: String?
        var similarityThreshold: Float?
    }

    @Sendable func compare(_ request: Request) async throws -> Answer<VideoLiveness.Outcome> {
        guard request.headers.contentType == .json else { throw Abort(.unsupportedMediaType) }
        let body = try request.content.decode(CompareRequest.self)
        guard let text = body.video else { throw ServiceError(.invalidParameter, "'video' is required: base64 of a webm or mp4") }
        guard let bytes = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else {
            throw ServiceError(.videoUnreadable, "'video' is not valid base64")
        }
        let challenge: Challenge
        let mode = body.mode ?? .action
        switch mode {
        case .silent:
            challenge = Challenge(actions: [.blink])
        case .action:
            var actions = body.actions
            if let token = body.sequenceToken {
                let handedOut = try await sequences.redeem(token, application: try request.galleryCaller.applicationID)
                if let actions, actions != handedOut { throw ServiceError(.invalidParameter, "'actions' differ from those of sequenceToken") }
                actions = handedOut
            }
            guard let actions, (1...4).contains(actions.count) else {
                throw ServiceError(.invalidParameter, "'actions' (1-4, from /v1/liveness/action-sequence) is required in action mode")
            }
            challenge = Challenge(actions: actions)
        case .colourFlash, .nearFar, .smart:
            throw ServiceError(.invalidParameter, "modes colour_flash, near_far and smart need the H5 flow; use action or silent")
        }
        var reference: [Float]?
        if let photo = body.image {
            let image = try await video.faces.decodeOffLoop(try ImageInput.base64(photo, field: "image"))
            guard let face = try await video.faces.embedFaces(image, maxFaces: 1, kinds: [.sface]).first?.embeddings[.sface] else {
                throw ServiceError(.noFace, "no face found in the photo")
            }
            reference = face.vector
        }
        let threshold = body.similarityThreshold ?? 70
        let outcome = try await video.analyse(bytes, challenge: challenge, passive: mode == .silent, reference: reference,
                                              similarityThreshold: threshold)
        return Answer(RequestId: request.requestID, result: outcome)
    }
}
