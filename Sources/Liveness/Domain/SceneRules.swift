import Foundation

/// How the verifications of one scene run. Plain values: the API, the database and the
/// session all read these.
public struct SceneRules: Codable, Sendable, Equatable {
    public enum Mode: String, Codable, Sendable {
        /// 1-4 actions drawn at random from the pool, in a random order.
        case action
        /// No instruction: the user looks at the camera and the server waits for a natural
        /// blink (a printed photo never blinks); the blink counts only if the frames' static
        /// liveness clears `PassiveCheck` (a screen replay blinks).
        case silent
        /// No action: the screen flashes a random sequence of colours (`ColourFlash`) and
        /// the light on the face must follow it in time. Streams only (a recording carries
        /// no display times); a scene for photosensitive users uses another mode.
        case colourFlash = "colour_flash"
        /// The user moves the phone from far to near or the reverse (at random), then
        /// blinks: a real face's proportions change with distance, a photo's do not
        /// (`NearFar`). Streams only, like the colour flash.
        case nearFar = "near_far"
        /// The server picks silent, action or colour flash for each attempt from the risk
        /// signals it has (`SmartMode`): the user's, the device's and the verification's
        /// recent failures.
        case smart
    }

    /// How the page sends the user's face.
    public enum Capture: String, Codable, Sendable {
        /// Frames over the WebSocket, analysed live; the page records a video instead only
        /// when it cannot stream (no WebSocket, or the socket never opens).
        case stream
        /// Always a short recorded video, uploaded at the end (the downgrade path, for
        /// networks where a live stream is known not to hold).
        case video
    }

    public enum CompareSource: String, Codable, Sendable {
        /// A reference photo given to StartVerification.
        case photo
        /// A person of the gallery, by person id.
        case person
        /// Liveness only.
        case none
    }

    public var name: String
    public var mode: Mode
    public var actionPool: [LivenessAction]
    public var actionCount: Int
    public var compareSource: CompareSource
    public var capture: Capture
    /// 0-100; the liveness score a session needs.
    public var livenessThreshold: Float
    /// 0-100 on the compare scale (70 = FAR 1e-4); the best frame against the reference.
    public var similarityThreshold: Float
    /// Attempts one BizToken allows.
    public var attemptLimit: Int
    /// Failed attempts one external user id (or reference person) may make in 24 hours.
    public var personAttemptLimit: Int
    /// Failed attempts one device (address and browser) may make in 24 hours, over all of
    /// the application's verifications; then 1007.
    public var deviceAttemptLimit: Int
    /// Seconds a BizToken stays usable.
    public var sessionLifetime: Int
    /// Seconds the user has for each action.
    public var actionTimeLimit: Double
    public var callbackURL: String?
    public var redirectURL: String?

    public init(name: String, mode: Mode = .action, actionPool: [LivenessAction] = LivenessAction.allCases, actionCount: Int = 2,
                compareSource: CompareSource = .none, capture: Capture = .stream, livenessThreshold: Float = 60, similarityThreshold: Float = 70,
                attemptLimit: Int = 3, personAttemptLimit: Int = 10, deviceAttemptLimit: Int = 20, sessionLifetime: Int = 600, actionTimeLimit: Double = 8,
                callbackURL: String? = nil, redirectURL: String? = nil) {
        self.name = name
        self.mode = mode
        self.actionPool = actionPool
        self.actionCount = actionCount
        self.compareSource = compareSource
        self.capture = capture
        self.livenessThreshold = livenessThreshold
        self.similarityThreshold = similarityThreshold
        self.attemptLimit = attemptLimit
        self.personAttemptLimit = personAttemptLimit
        self.deviceAttemptLimit = deviceAttemptLimit
        self.sessionLifetime = sessionLifetime
        self.actionTimeLimit = actionTimeLimit
        self.callbackURL = callbackURL
        self.redirectURL = redirectURL
    }

    enum CodingKeys: String, CodingKey {
        case name, mode, actionPool, actionCount, compareSource, capture, livenessThreshold, similarityThreshold, attemptLimit
        case personAttemptLimit, deviceAttemptLimit, sessionLifetime, actionTimeLimit
        case callbackURL = "callbackUrl", redirectURL = "redirectUrl"
    }

    // Rules stored before `capture` and `deviceAttemptLimit` existed get their defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try c.decode(String.self, forKey: .name), mode: try c.decode(Mode.self, forKey: .mode),
                  actionPool: try c.decode([LivenessAction].self, forKey: .actionPool), actionCount: try c.decode(Int.self, forKey: .actionCount),
                  compareSource: try c.decode(CompareSource.self, forKey: .compareSource),
                  capture: try c.decodeIfPresent(Capture.self, forKey: .capture) ?? .stream,
                  livenessThreshold: try c.decode(Float.self, forKey: .livenessThreshold),
                  similarityThreshold: try c.decode(Float.self, forKey: .similarityThreshold),
                  attemptLimit: try c.decode(Int.self, forKey: .attemptLimit), personAttemptLimit: try c.decode(Int.self, forKey: .personAttemptLimit),
                  deviceAttemptLimit: try c.decodeIfPresent(Int.self, forKey: .deviceAttemptLimit) ?? 20,
                  sessionLifetime: try c.decode(Int.self, forKey: .sessionLifetime), actionTimeLimit: try c.decode(Double.self, forKey: .actionTimeLimit),
                  callbackURL: try c.decodeIfPresent(String.self, forKey: .callbackURL), redirectURL: try c.decodeIfPresent(String.self, forKey: .redirectURL))
    }

    /// Why these rules cannot be used, or nil.
    public var problem: String? {
        if name.isEmpty || name.count > 64 { return "name: 1 to 64 characters" }
        if actionPool.isEmpty && mode == .action { return "actionPool: at least one action" }
        if !(1...4).contains(actionCount) { return "actionCount: 1 to 4" }
        if mode == .colourFlash && capture == .video { return "capture: colour_flash runs on the live stream only" }
        if mode == .nearFar && capture == .video { return "capture: near_far runs on the live stream only" }
        if !(0...100).contains(livenessThreshold) { return "livenessThreshold: 0 to 100" }
        if !(0...100).contains(similarityThreshold) { return "similarityThreshold: 0 to 100" }
        if !(1...10).contains(attemptLimit) { return "attemptLimit: 1 to 10" }
        if !(1...1000).contains(personAttemptLimit) { return "personAttemptLimit: 1 to 1000" }
        if !(1...1000).contains(deviceAttemptLimit) { return "deviceAttemptLimit: 1 to 1000" }
        if !(60...86_400).contains(sessionLifetime) { return "sessionLifetime: 60 to 86400 seconds" }
        if !(3...30).contains(actionTimeLimit) { return "actionTimeLimit: 3 to 30 seconds" }
        for (field, url) in [("callbackUrl", callbackURL), ("redirectUrl", redirectURL)] {
            if let url, !Self.isWebURL(url) { return "\(field): an http or https URL" }
        }
        return nil
    }

    static func isWebURL(_ text: String) -> Bool {
        guard text.count <= 2048, let url = URL(string: text), let scheme = url.scheme?.lowercased(), url.host != nil else { return false }
        return scheme == "http" || scheme == "https"
    }
}
