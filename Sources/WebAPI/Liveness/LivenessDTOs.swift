import Liveness
import Vapor

extension SceneInfo: Content {}
extension VerificationService.Started: Content {}
extension VerificationResult: Content {}
extension PageSession: Content {}
extension AttemptAnswer: Content {}
extension VideoLiveness.Outcome: Content {}

/// A scene as the API takes it: every rule optional (the defaults of `SceneRules`) and the
/// callback secret, which is stored sealed and never answered.
struct SceneRequest: Content {
    var sceneId: String?
    var name: String
    var mode: SceneRules.Mode?
    var actionPool: [LivenessAction]?
    var actionCount: Int?
    var compareSource: SceneRules.CompareSource?
    var capture: SceneRules.Capture?
    var livenessThreshold: Float?
    var similarityThreshold: Float?
    var attemptLimit: Int?
    var personAttemptLimit: Int?
    var deviceAttemptLimit: Int?
    var sessionLifetime: Int?
    var actionTimeLimit: Double?
    var callbackUrl: String?
    var callbackSecret: String?
    var redirectUrl: String?

    var rules: SceneRules {
        let defaults = SceneRules(name: name)
        return SceneRules(name: name, mode: mode ?? defaults.mode, actionPool: actionPool ?? defaults.actionPool,
                          actionCount: actionCount ?? defaults.actionCount, compareSource: compareSource ?? defaults.compareSource,
                          capture: capture ?? defaults.capture,
                          livenessThreshold: livenessThreshold ?? defaults.livenessThreshold,
                          similarityThreshold: similarityThreshold ?? defaults.similarityThreshold,
                          attemptLimit: attemptLimit ?? defaults.attemptLimit, personAttemptLimit: personAttemptLimit ?? defaults.personAttemptLimit,
                          deviceAttemptLimit: deviceAttemptLimit ?? defaults.deviceAttemptLimit,
                          sessionLifetime: sessionLifetime ?? defaults.sessionLifetime, actionTimeLimit: actionTimeLimit ?? defaults.actionTimeLimit,
                          callbackURL: callbackUrl, redirectURL: redirectUrl)
    }
}

struct StartVerificationRequest: Content {
    var sceneId: String
    var personId: String?
    var externalUserId: String?
    var redirectUrl: String?
    var extra: String?
    var image: String?
}

struct VerificationResultRequest: Content {
    var bizToken: String
    /// Include the best frame and the audit frames (base64 JPEG).
    var images: Bool?
}
