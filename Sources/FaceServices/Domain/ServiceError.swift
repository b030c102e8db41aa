/// The stable return codes of SPEC section 8 that the face services produce, plus the
/// request-level codes of the HTTP API.
public enum ReturnCode: Int, Sendable, Codable {
    case success = 0
    case engineError = 1001
    case noFace = 1004
    /// Risk control: an interception list or an attempt limit (per device).
    case riskControl = 1007
    /// Uploaded videos (LivenessCompare): not a video the decoder can read, too large, too
    /// long, too small a picture; too short is 1303.
    case videoUnreadable = 1101
    case videoTooLarge = 1102
    case videoTooLong = 1103
    case videoResolutionTooLow = 1104
    case videoTooShort = 1303
    case tooDark = 1201
    case tooBright = 1202
    case tooClose = 1203
    case tooFar = 1205
    case faceIncompleteLive = 1210
    case invalidImage = 2004
    case multipleFaces = 2012
    case faceIncomplete = 2013
    case comparisonFailed = 2015
    case belowThreshold = 2016
    case rateLimited = 18
    /// A verification (BizToken) that can no longer be used: already completed, expired,
    /// or out of attempts.
    case alreadyCompleted = 14
    case tokenExpired = 15
    case retryLimit = 16
    /// Request-level problems: malformed JSON, a missing or wrong parameter.
    case invalidParameter = 4000
    case notFound = 4004
    case bodyTooLarge = 4013
    case unsupportedMediaType = 4015
    /// Console and platform: not signed in, forbidden (permission or CSRF), duplicate,
    /// wrong password, locked account.
    case notSignedIn = 4001
    case forbidden = 4003
    case conflict = 4009
    case signInFailed = 4010
    case accountLocked = 4011
    /// Signed /v1 calls (TC3-HMAC-SHA256).
    case signatureMissing = 4100
    case unknownCredential = 4101
    case signatureMismatch = 4102
    case signatureExpired = 4103
    case signatureReplayed = 4104
    case addressNotAllowed = 4105
}

/// A failure of a face service with its SPEC code and a message for the integrator.
public struct ServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: ReturnCode
    public var message: String

    public init(_ code: ReturnCode, _ message: String) { self.code = code; self.message = message }

    public var description: String { "\(code.rawValue): \(message)" }

    static func from(_ error: EngineError) -> ServiceError {
        switch error {
        case .undecodableImage(let m): ServiceError(.invalidImage, "image cannot be decoded: \(m)")
        case .invalidArgument(let m): ServiceError(.invalidParameter, m)
        case .modelUnavailable(let m), .engineFailure(let m), .featureUnavailable(let m): ServiceError(.engineError, m)
        }
    }

    static func from(_ rejection: QualityRejection) -> ServiceError {
        switch rejection {
        case .incomplete: ServiceError(.faceIncomplete, "face is not completely in the image")
        case .tooDark: ServiceError(.tooDark, "face is too dark")
        case .tooBright: ServiceError(.tooBright, "face is too bright")
        case .tooSmall: ServiceError(.tooFar, "face is too small")
        case .blurred: ServiceError(.noFace, "face quality too low: blurred")
        case .poorPose: ServiceError(.noFace, "face quality too low: head turned too far")
        case .lowOverall: ServiceError(.noFace, "face quality too low")
        }
    }
}
