import Crypto
import FaceServices
import Fluent
import Foundation
import Gallery
import Platform

/// StartVerification and GetVerificationResult for the signed application, and what the
/// H5 page asks before it streams. The live part (frames) is `LiveSession`.
public struct VerificationService: Sendable {
    public let faces: FaceService
    public let gallery: GalleryService
    public let scenes: SceneService
    public let key: DataKey
    public let blobs: BlobStore
    public let live: LiveSessions
    public let callbacks: CallbackDelivery

    public init(faces: FaceService, gallery: GalleryService, key: DataKey, blobs: BlobStore, callbacks: CallbackDelivery) {
        self.faces = faces
        self.gallery = gallery
        self.scenes = SceneService(key: key)
        self.key = key
        self.blobs = blobs
        self.live = LiveSessions()
        self.callbacks = callbacks
    }

    public struct StartRequest: Sendable {
        public var sceneID: String
        public var referenceImage: DecodedImage?
        public var referencePersonID: String?
        public var externalUserID: String?
        public var redirectURL: String?
        public var extra: String?

        public init(sceneID: String, referenceImage: DecodedImage? = nil, referencePersonID: String? = nil,
                    externalUserID: String? = nil, redirectURL: String? = nil, extra: String? = nil) {
            self.sceneID = sceneID
            self.referenceImage = referenceImage
            self.referencePersonID = referencePersonID
            self.externalUserID = externalUserID
            self.redirectURL = redirectURL
            self.extra = extra
        }
    }

    public struct Started: Codable, Sendable {
        public var bizToken: String
        /// Also in the callback, so the back end can match it to this verification.
        public var verificationId: String
        public var url: String
        public var expiresAt: Date
        /// The first attempt's mode: the scene's, or a smart scene's choice (which the page
        /// may revise with the device's signals).
        public var mode: SceneRules.Mode
        public var actions: [LivenessAction]
        /// Colour-flash scenes: the colours the page will show (the back end may log them).
        public var colourFlash: ColourFlash?
        /// Near-far scenes: the move the page will ask for.
        public var nearFar: NearFar?
    }

    /// A new verification: checks the reference, draws the challenge, returns the BizToken.
    public func start(_ caller: GalleryCaller, _ request: StartRequest, publicBaseURL: String, on db: any Database) async throws -> Started {
        let scene = try await scenes.require(caller, request.sceneID, on: db)
        let rules = try SceneService.rules(scene.rulesJSON)
        if let redirect = request.redirectURL, !SceneRules.isWebURL(redirect) { throw LivenessFailure.invalid("redirectUrl: an http or https URL") }
        if let id = request.externalUserID, !(1...128).contains(id.count) { throw LivenessFailure.invalid("externalUserId: 1 to 128 characters") }
        if let extra = request.extra, extra.utf8.count > 4096 { throw LivenessFailure.invalid("extra: at most 4096 bytes") }

        let reference = try await referenceVector(caller, rules: rules, request, on: db)
        let subject = request.externalUserID ?? request.referencePersonID
        var userFailures = 0
        if let subject { userFailures = try await failedAttempts(application: caller.applicationID, subject: subject, on: db) }
        if userFailures >= rules.personAttemptLimit {
            throw LivenessFailure.closed(16, "too many failed attempts for this user in the last 24 hours")
        }

        let token = Self.newToken()
        let row = UUID()
        let record = VerificationModel()
        record.id = row
        record.organisationID = caller.organisationID
        record.applicationID = caller.applicationID
        record.sceneRow = try scene.requireID()
        record.tokenHash = Self.hash(token)
        record.state = VerificationState.created.rawValue
        record.rulesJSON = scene.rulesJSON
        var timeline = Timeline()
        let challenge = try self.challenge(for: rules, risk: RiskSignals(userFailures: userFailures), attempt: 0, timeline: &timeline)
        record.challengeJSON = try Self.json(challenge)
        record.attempts = 0
        record.sealedReference = try reference.map { try sealReference($0, row: row) }
        record.referencePerson = request.referencePersonID
        record.externalUserID = request.externalUserID
        record.redirectURL = request.redirectURL ?? rules.redirectURL
        record.extra = request.extra
        record.expiresAt = Date().addingTimeInterval(Double(rules.sessionLifetime))
        record.timelineJSON = try Self.json(timeline)
        record.auditFrameBlobsJSON = "[]"
        record.callbackAttempts = 0
        try await record.create(on: db)
        let base = publicBaseURL.hasSuffix("/") ? String(publicBaseURL.dropLast()) : publicBaseURL
        return Started(bizToken: token, verificationId: row.uuidString, url: "\(base)/h5/verify?token=\(token)", expiresAt: record.expiresAt,
                       mode: challenge.mode(under: rules), actions: challenge.actions,
                       colourFlash: challenge.colourFlash, nearFar: challenge.nearFar)
    }

    /// The record of a verification of the caller's application.
    public func result(_ caller: GalleryCaller, bizToken: String, images: Bool, on db: any Database) async throws -> VerificationResult {
        guard let record = try await find(token: bizToken, on: db), record.applicationID == caller.applicationID else {
            throw LivenessFailure.verificationNotFound
        }
        try await expireIfDue(record, on: db)
        return try VerificationResult(record, blobs: images ? blobs : nil)
    }

    // MARK: Helpers

    func find(token: String, on db: any Database) async throws -> VerificationModel? {
        guard (16...128).contains(token.count) else { return nil }
        return try await VerificationModel.query(on: db).filter(\.$tokenHash == Self.hash(token)).first()
    }

    /// A verification past its lifetime that never finished becomes "expired" (code 15).
    func expireIfDue(_ record: VerificationModel, on db: any Database) async throws {
        guard record.expiresAt < Date(), record.state == VerificationState.created.rawValue || record.state == VerificationState.started.rawValue else { return }
        record.state = VerificationState.expired.rawValue
        record.code = 15
        record.message = "the BizToken expired before the verification finished"
        try await record.save(on: db)
    }

    private func referenceVector(_ caller: GalleryCaller, rules: SceneRules, _ request: StartRequest, on db: any Database) async throws -> [Float]? {
        switch rules.compareSource {
        case .none:
            return nil
        case .photo:
            guard let image = request.referenceImage else { throw LivenessFailure.invalid("the scene compares with a reference photo: imageBase64 is required") }
            guard let face = try await faces.embedFaces(image, maxFaces: 1, kinds: [.sface]).first?.embeddings[.sface] else {
                throw ServiceError(.noFace, "no face found in the reference photo")
            }
            return face.vector
        case .person:
            guard let personID = request.referencePersonID else { throw LivenessFailure.invalid("the scene compares with a person: personId is required") }
            return try await gallery.referenceTemplate(caller, personID: personID, kind: .sface, on: db)
        }
    }

    /// Failed attempts for one user (external user id or reference person) over the
    /// application's verifications in the last 24 hours.
    func failedAttempts(application: UUID, subject: String, on db: any Database) async throws -> Int {
        let since = Date().addingTimeInterval(-86_400)
        let rows = try await VerificationModel.query(on: db).filter(\.$applicationID == application)
            .group(.or) { $0.filter(\.$externalUserID == subject).filter(\.$referencePerson == subject) }
            .filter(\.$createdAt >= since).all()
        return rows.reduce(0) { $0 + ($1.state == VerificationState.passed.rawValue ? max(0, $1.attempts - 1) : $1.attempts) }
    }

    /// Failed attempts of one device over the application's verifications in the last 24 hours.
    func failedAttempts(application: UUID, device: String, on db: any Database) async throws -> Int {
        let since = Date().addingTimeInterval(-86_400)
        let rows = try await VerificationModel.query(on: db).filter(\.$applicationID == application)
            .filter(\.$deviceKey == device).filter(\.$createdAt >= since).all()
        return rows.reduce(0) { $0 + ($1.state == VerificationState.passed.rawValue ? max(0, $1.attempts - 1) : $1.attempts) }
    }

    func sealReference(_ vector: [Float], row: UUID) throws -> Data {
        var bytes = Data(capacity: vector.count * 4)
        for value in vector { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        return try key.seal(bytes, context: "verification-reference:\(row.uuidString.lowercased())")
    }

    func openReference(_ record: VerificationModel) throws -> [Float]? {
        guard let sealed = record.sealedReference else { return nil }
        let bytes = try key.open(sealed, context: "verification-reference:\(try record.requireID().uuidString.lowercased())")
        return stride(from: 0, to: bytes.count - 3, by: 4).map { offset in
            var bits: UInt32 = 0
            for i in 0..<4 { bits |= UInt32(bytes[bytes.startIndex + offset + i]) << (8 * UInt32(i)) }
            return Float(bitPattern: bits)
        }
    }

    /// Whether the engines can see blinks: the eyelids are traced by the mesh's iris model
    /// (see `Openness`), so a server started without the mesh sees none.
    public var blinksVisible: Bool { faces.pool.options.mesh }

    /// The challenge of one attempt: in a smart scene, in the mode `SmartMode` picks from
    /// `risk` (the choice and its reasons go to the timeline).
    func challenge(for rules: SceneRules, risk: RiskSignals, attempt: Int, timeline: inout Timeline) throws -> Challenge {
        guard rules.mode == .smart else { return try challenge(for: rules) }
        var choice = SmartMode.choose(risk, capture: rules.capture)
        if choice.mode == .silent && !blinksVisible {
            choice = SmartMode.Choice(mode: .action, reason: choice.reason + "; action: this server cannot see blinks")
        }
        timeline.append(attempt: attempt, at: 0, kind: "smart_mode", detail: choice.reason)
        var challenge = try self.challenge(for: rules, mode: choice.mode)
        challenge.mode = choice.mode
        return challenge
    }

    /// The challenge of one attempt in `mode` (the scene's own by default). Without visible
    /// blinks, blink is left out of the draw (asking for it would fail every honest user),
    /// and silent mode, which waits for a natural blink, cannot run.
    func challenge(for rules: SceneRules, mode: SceneRules.Mode? = nil) throws -> Challenge {
        switch mode ?? rules.mode {
        case .action:
            let pool = blinksVisible ? rules.actionPool : rules.actionPool.filter { $0 != .blink }
            guard !pool.isEmpty else {
                throw LivenessFailure.invalid("the scene asks only for blinks, which this server cannot see (start it with the face mesh)")
            }
            return Challenge.draw(from: pool, count: rules.actionCount)
        case .silent:
            guard blinksVisible else {
                throw LivenessFailure.invalid("silent mode waits for a natural blink, which this server cannot see (start it with the face mesh)")
            }
            return Challenge(actions: [.blink])
        case .colourFlash:
            return Challenge(actions: [], colourFlash: ColourFlash.draw())
        case .nearFar:
            guard blinksVisible else {
                throw LivenessFailure.invalid("near_far ends with a blink, which this server cannot see (start it with the face mesh)")
            }
            return Challenge(actions: [.blink], nearFar: NearFar.draw())
        case .smart:
            // Chosen per attempt from the risk signals: without them, the least demanding.
            return try challenge(for: rules, mode: .silent)
        }
    }

    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(format: "%016llx", generator.next() as UInt64) }.joined()
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
