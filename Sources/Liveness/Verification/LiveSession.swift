import FaceServices
import Fluent
import Foundation
import Logging

/// One attempt streamed by an H5 page over a WebSocket (docs/h5-protocol.md): the key
/// agreement, the frame checks, the analysis of each frame, hints and progress back to the
/// page, and the decision.
///
/// Messages are handled strictly in arrival order (the socket feeds an `AsyncStream`).
/// Decrypting and checking a frame is cheap and done for every frame; analysis is not, so
/// while one frame is analysed only the newest next frame waits, older ones are dropped:
/// a slow server shows hints late by at most one frame rather than falling behind.
public actor LiveSession {
    public enum Incoming: Sendable {
        case text(String)
        case binary(Data)
        case closed
    }

    /// How the session talks back to the page.
    public struct Outbound: Sendable {
        public var send: @Sendable (String) async -> Void
        public var close: @Sendable () async -> Void

        public init(send: @escaping @Sendable (String) async -> Void, close: @escaping @Sendable () async -> Void) {
            self.send = send
            self.close = close
        }
    }

    struct Frame {
        var number: Int
        var time: Double
        var jpeg: Data
    }

    /// Without a frame for this long after the page said hello, the attempt ends.
    static let silenceLimit: Double = 8
    static let maxAuditFrames = 6

    let service: VerificationService
    let db: any Database
    let row: UUID
    let token: String
    let prepared: LiveSessions.Pending
    let rules: SceneRules
    let attempt: Int
    let outbound: Outbound
    let logger: Logger
    let analyzer: FrameAnalyzer
    let judge: AttemptJudge

    var cipher: FrameCipher?
    var gate = FrameGate()
    var repetition = FrameRepetition()
    var firstCaptureMillis: UInt64?
    var frameCount = 0
    var waiting: Frame?
    var analysing = false
    /// Where the face was in the last analysed frame (the detector then skips frames).
    var faceTrack: FaceTrack?
    var lastFrameAt = Date()
    var lastFrameTime: Double = 0
    var finished = false
    var timeline: Timeline
    var doneCount = 0
    var best = ComparisonFrame<Data>()
    var audit: [Data] = []
    var device: [String: String] = [:]
    var verdictsRecorded = 0

    init(service: VerificationService, db: any Database, row: UUID, token: String, prepared: LiveSessions.Pending, rules: SceneRules,
         attempt: Int, timeline: Timeline, outbound: Outbound, logger: Logger) {
        self.service = service
        self.db = db
        self.row = row
        self.token = token
        self.prepared = prepared
        self.rules = rules
        self.attempt = attempt
        self.timeline = timeline
        self.outbound = outbound
        self.logger = logger
        analyzer = FrameAnalyzer(faces: service.faces)
        var trackerRules = ChallengeRules(actionTimeLimit: rules.actionTimeLimit)
        // Identity every third frame (and on every frame while it is in doubt): the
        // embedding is the costliest stage of a frame's analysis.
        trackerRules.embedEvery = 3
        judge = AttemptJudge(challenge: prepared.challenge, rules: trackerRules, passive: prepared.challenge.mode(under: rules) == .silent)
    }

    /// Handles the page's messages until the socket closes or the attempt is decided.
    public func run(_ messages: AsyncStream<Incoming>) async {
        let watchdog = Task { await self.watch() }
        for await message in messages {
            switch message {
            case .text(let text): await hello(text)
            case .binary(let data): await frame(data)
            case .closed: await end(reason: "the page closed the connection")
            }
            if finished { break }
        }
        if !finished { await end(reason: "the page closed the connection") }
        watchdog.cancel()
    }

    // MARK: Messages

    private func hello(_ text: String) async {
        guard !finished else { return }
        struct Hello: Decodable {
            var type: String
            var clientPublicKey: String?
            var device: [String: String]?
        }
        guard let message = try? JSONDecoder().decode(Hello.self, from: Data(text.utf8)) else {
            return await refuse(4100, "messages must be JSON with a type")
        }
        switch message.type {
        case "hello":
            guard cipher == nil else { return await refuse(4100, "hello was already sent") }
            guard let raw = message.clientPublicKey.flatMap({ Data(base64Encoded: $0) }),
                  let cipher = try? prepared.exchange.cipher(clientPublicKeyRaw: raw, sessionId: prepared.sessionID) else {
                return await refuse(4100, "hello needs the page's P-256 public key")
            }
            self.cipher = cipher
            device = (message.device ?? [:]).mapValues { String($0.prefix(256)) }
                .filter { ["userAgent", "screen", "language", "camera"].contains($0.key) }
            if let camera = device["camera"], let fragment = VirtualCameras.match(camera) {
                timeline.append(attempt: attempt, at: 0, kind: "refused", detail: "virtual camera \(camera)")
                return await refuse(ChallengeCode.suspectedRecording, "the camera is a virtual one (\(fragment)), not a lens")
            }
            lastFrameAt = Date()
            await send(["type": "ready", "actions": prepared.challenge.actions.map(\.rawValue), "current": 0])
        case "cancel":
            await end(reason: "the user cancelled")
        default:
            await refuse(4100, "unknown message type")
        }
    }

    private func frame(_ envelope: Data) async {
        guard !finished else { return }
        guard let cipher else { return await refuse(4100, "frames need the key agreement first (hello)") }
        do {
            let (counter, capture, jpeg) = try cipher.open(envelope)
            try gate.admit(counter: counter, captureMillis: capture, payload: jpeg, now: Date())
            if repetition.isCopy(jpeg) {
                timeline.append(attempt: attempt, at: lastFrameTime, kind: "refused", detail: "\(FrameRepetition.limit) identical frames")
                return await refuse(ChallengeCode.suspectedRecording, "\(FrameRepetition.limit) identical frames in a row: a still picture, not a camera")
            }
            let first = firstCaptureMillis ?? capture
            firstCaptureMillis = first
            frameCount += 1
            lastFrameAt = Date()
            lastFrameTime = Double(capture &- first) / 1000
            if judge.showsColours, let report = FlashReport.read(jpeg) {
                // Reported on the capture clock, like the frames' own times.
                judge.flashShown(report.shown.map { ($0.step, (Double($0.millis) - Double(first)) / 1000) })
            }
            waiting = Frame(number: frameCount, time: lastFrameTime, jpeg: jpeg)
            if !analysing {
                analysing = true
                Task { await self.analyseWaiting() }
            }
        } catch let refusal as FrameRefusal {
            timeline.append(attempt: attempt, at: 0, kind: "refused", detail: "\(refusal)")
            await refuse(refusal.code, Self.describe(refusal))
        } catch {
            await refuse(4102, "the frame could not be opened")
        }
    }

    private func analyseWaiting() async {
        while !finished, let frame = waiting {
            waiting = nil
            do {
                let image = try await service.faces.decodeOffLoop(frame.jpeg)
                let (signals, track) = try await analyzer.analyze(image, embed: judge.wantsEmbedding, track: faceTrack)
                faceTrack = track
                guard !finished else { break }
                await observe(signals, of: frame)
            } catch {
                // A frame the decoder refuses is the page's fault, not the user's: skip it.
                logger.debug("frame not analysed", metadata: ["error": "\(error)"])
            }
        }
        analysing = false
    }

    private func observe(_ signals: FrameSignals, of frame: Frame) async {
        let update = judge.observe(signals, frame: frame.number, at: frame.time)
        timeline.hints(update.hints, attempt: attempt, at: frame.time)
        keep(frame, signals)
        await send(["type": "hint", "hints": update.hints.map(\.rawValue), "frame": frame.number])
        if update.done.count != doneCount {
            doneCount = update.done.count
            if audit.count < Self.maxAuditFrames { audit.append(frame.jpeg) }
            for action in update.done.suffix(update.done.count - timeline.detected.count) {
                timeline.append(attempt: attempt, at: action.completedAt, kind: "action", detail: action.action.rawValue)
            }
            timeline.detected = update.done
            await send(["type": "progress", "current": update.current,
                        "done": update.done.map { ["action": $0.action.rawValue, "startedAt": $0.startedAt, "completedAt": $0.completedAt] }])
        }
        recordVerdicts()
        if let decision = update.decision { await decide(decision, at: frame.time) }
    }

    /// The mode checks' verdicts (colour flash, near-far) into the timeline, once each.
    private func recordVerdicts() {
        for verdict in judge.verdicts.dropFirst(verdictsRecorded) {
            timeline.append(attempt: attempt, at: verdict.at, kind: verdict.kind, detail: verdict.detail)
        }
        verdictsRecorded = judge.verdicts.count
    }

    /// The frame to compare with the reference (and the first face, for the audit).
    private func keep(_ frame: Frame, _ signals: FrameSignals) {
        guard signals.faceCount == 1, signals.embedding != nil else { return }
        if audit.isEmpty { audit.append(frame.jpeg) }
        best.consider(signals, frame.jpeg)
    }

    // MARK: Ending

    private func watch() async {
        while !finished {
            try? await Task.sleep(for: .milliseconds(500))
            // The tracker ends an attempt whose actions time out, but only when frames come.
            let deadline = Double(max(1, prepared.challenge.actions.count)) * rules.actionTimeLimit + 15
            if Date().timeIntervalSince(lastFrameAt) > Self.silenceLimit {
                await end(reason: "no frames for \(Int(Self.silenceLimit)) s")
            } else if lastFrameTime > deadline {
                await end(reason: "the attempt took too long")
            }
        }
    }

    /// Ends without a decision from the frames: the tracker decides from what it saw.
    private func end(reason: String) async {
        guard !finished else { return }
        // Frames' own clock: the time of the last frame plus the silence since.
        let time = lastFrameTime + Date().timeIntervalSince(lastFrameAt)
        timeline.append(attempt: attempt, at: time, kind: "ended", detail: reason)
        let decision = judge.finish(at: time)
        recordVerdicts()
        await decide(decision, at: time)
    }

    private func refuse(_ code: Int, _ message: String) async {
        guard !finished else { return }
        await send(["type": "error", "code": code, "message": message])
        await decide(ChallengeDecision(passed: false, code: code, reason: message, done: timeline.detected, bestFrame: nil, livenessScore: 0),
                     at: lastFrameTime)
    }

    private func decide(_ decision: ChallengeDecision, at time: Double) async {
        guard !finished else { return }
        finished = true
        let evidence = AttemptEvidence(decision: decision, embedding: best.embedding, bestJPEG: best.payload, audit: audit,
                                       timeline: timeline, device: device)
        do {
            let answer = try await service.conclude(row, token: token, rules: rules, attempt: attempt, evidence: evidence, at: time, on: db)
            // Released before the page hears the result, so a retry it starts at once is not refused.
            await service.live.release(row)
            if let data = try? Self.encoder.encode(answer) { await outbound.send(String(decoding: data, as: UTF8.self)) }
        } catch {
            await service.live.release(row)
            logger.error("verification not recorded", metadata: ["error": "\(error)"])
            await send(["type": "error", "code": 1001, "message": "the result could not be recorded"])
        }
        await outbound.close()
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    private func send(_ message: [String: Any]) async {
        guard let data = try? JSONSerialization.data(withJSONObject: message, options: [.sortedKeys]) else { return }
        await outbound.send(String(decoding: data, as: UTF8.self))
    }

    static func describe(_ refusal: FrameRefusal) -> String {
        switch refusal {
        case .badHandshake: "the key agreement failed"
        case .badTag: "the frame is not authenticated by this session's key"
        case .replayed: "the frame was replayed or arrived out of order"
        case .stale: "the frame's capture time is too old, too far ahead or going backwards"
        case .badImage: "the frame is not a JPEG or is too large"
        }
    }
}
