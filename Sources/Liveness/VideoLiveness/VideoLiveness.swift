import FaceServices
import Foundation

/// The liveness analysis of an uploaded video (LivenessCompare, and the H5 page's fallback
/// when it cannot stream): the frames are replayed at the page's 12 per second through the
/// same analysis and action tracker as a live session, and the best frame is compared with
/// a reference when one is given.
public struct VideoLiveness: Sendable {
    public let faces: FaceService
    public var limits: VideoLivenessLimits

    public init(faces: FaceService, limits: VideoLivenessLimits = VideoLivenessLimits()) {
        self.faces = faces
        self.limits = limits
    }

    public struct Outcome: Sendable, Codable, Equatable {
        public var passed: Bool
        public var code: Int
        public var message: String
        public var livenessScore: Double
        /// 0-100 against the reference; nil without one.
        public var similarity: Double?
        public var actions: [LivenessAction]
        public var detected: [DetectedAction]
        /// Seconds of video and frames analysed.
        public var duration: Double
        public var frames: Int
    }

    /// Analyses `video` for `challenge` (silent mode, `passive`: a natural blink and the
    /// frames' static liveness). Bad videos throw `ServiceError` 1101-1104 or 1303; a failed
    /// liveness is an outcome, not an error.
    public func analyse(_ video: Data, challenge: Challenge, passive: Bool = false, reference: [Float]?,
                        similarityThreshold: Float) async throws -> Outcome {
        let examined = try await examine(video, challenge: challenge, passive: passive)
        let decision = examined.decision
        var outcome = Outcome(passed: decision.passed, code: decision.code, message: decision.reason,
                              livenessScore: Double(decision.livenessScore), similarity: nil,
                              actions: challenge.actions, detected: decision.done,
                              duration: examined.duration, frames: examined.frames)
        if let reference {
            if let embedding = examined.embedding {
                let score = faces.similarity(reference: reference, to: embedding)
                outcome.similarity = score
                if outcome.passed, score < Double(similarityThreshold) {
                    outcome.passed = false
                    outcome.code = ReturnCode.belowThreshold.rawValue
                    outcome.message = "similarity \(Int(score)) below \(Int(similarityThreshold))"
                }
            } else if outcome.passed {
                outcome.passed = false
                outcome.code = ReturnCode.noFace.rawValue
                outcome.message = "no usable face to compare with the reference"
            }
        }
        return outcome
    }

    /// What the analysis of a whole video found.
    struct Examined: Sendable {
        var decision: ChallengeDecision
        /// The frame to compare with a reference (`ComparisonFrame`), as JPEG, and its embedding.
        var embedding: [Float]?
        var bestJPEG: Data?
        /// The first face and the frame of each recognised action, as JPEG (the record's audit frames).
        var audit: [Data]
        /// Seconds of video and frames analysed.
        var duration: Double
        var frames: Int
    }

    /// The liveness analysis of `video` for `challenge`; throws 1101-1104 or 1303 for a bad video.
    func examine(_ video: Data, challenge: Challenge, passive: Bool) async throws -> Examined {
        guard !video.isEmpty else { throw ServiceError(.videoUnreadable, "the video is empty") }
        guard video.count <= limits.maxBytes else {
            throw ServiceError(.videoTooLarge, "the video has \(video.count) bytes; at most \(limits.maxBytes)")
        }
        // OpenCV reads videos from files: a private one, removed however the analysis ends.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("veriface-video-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("upload")
        try video.write(to: file)

        let limits = limits
        return try await faces.onEngine { engine in try Self.replay(file.path, challenge: challenge, passive: passive, limits: limits, on: engine) }
    }

    static let maxAuditFrames = 6

    /// Reads and analyses the whole video on one engine. Every analysed frame is embedded
    /// (no real-time budget here), so the best frame always has its embedding.
    static func replay(_ path: String, challenge: Challenge, passive: Bool, limits: VideoLivenessLimits, on engine: FaceEngine) throws -> Examined {
        let reader: VideoReader
        do { reader = try VideoReader(path: path) } catch {
            throw ServiceError(.videoUnreadable, "the upload is not a video that can be decoded (webm, mp4)")
        }
        guard reader.frameCount != 1 else { throw ServiceError(.videoUnreadable, "the upload is a single picture, not a video") }
        guard min(reader.width, reader.height) >= limits.minSide else {
            throw ServiceError(.videoResolutionTooLow, "the video is \(reader.width)x\(reader.height); its shorter side must be at least \(limits.minSide)")
        }
        // The container's own length, when it gives one (MediaRecorder's webm often does not).
        let stated = reader.frameCount > 1 && reader.fps > 0 ? Double(reader.frameCount) / reader.fps : nil
        if let stated, stated > limits.maxSeconds + 0.5 {
            throw ServiceError(.videoTooLong, String(format: "the video lasts %.1f s; at most %.0f s", stated, limits.maxSeconds))
        }
        if let stated, stated < limits.minSeconds {
            throw ServiceError(.videoTooShort, String(format: "the video lasts %.1f s; record more than %.0f s", stated, limits.minSeconds))
        }
        let judge = AttemptJudge(challenge: challenge, passive: passive)
        var track: FaceTrack?
        var best = ComparisonFrame<DecodedImage>()
        var audit: [Data] = []
        var doneCount = 0
        var frames = 0, last = 0.0
        var decision: ChallengeDecision?
        while let frame = try nextFrame(reader) {
            guard frame.time <= limits.maxSeconds else {
                throw ServiceError(.videoTooLong, "the video is longer than \(Int(limits.maxSeconds)) s")
            }
            last = frame.time
            // Decided: the rest is only read for the video's length, and not at all when the
            // container states it.
            guard decision == nil else { continue }
            let (signals, next) = try FrameAnalyzer.analyze(frame.image, on: engine, options: FrameAnalysisOptions(), embed: true, track: track)
            track = next
            frames += 1
            let update = judge.observe(signals, frame: frame.index, at: frame.time)
            let firstFace = audit.isEmpty && signals.faceCount == 1
            best.consider(signals, frame.image)
            if (firstFace || update.done.count != doneCount) && audit.count < maxAuditFrames {
                audit.append(try frame.image.jpeg(quality: 85))
            }
            doneCount = update.done.count
            if let decided = update.decision {
                decision = decided
                if stated != nil { break }
            }
        }
        guard frames > 0 else { throw ServiceError(.videoUnreadable, "the video has no frames that can be decoded") }
        let duration = stated ?? last + 1 / 12
        guard duration >= limits.minSeconds else {
            throw ServiceError(.videoTooShort, String(format: "the video lasts %.1f s; record more than %.0f s", duration, limits.minSeconds))
        }
        return Examined(decision: decision ?? judge.finish(at: duration), embedding: best.embedding,
                        bestJPEG: try best.payload?.jpeg(quality: 90), audit: audit, duration: duration, frames: frames)
    }

    /// A truncated file decodes until its damage: what came before still counts.
    static func nextFrame(_ reader: VideoReader) throws -> VideoFrame? {
        do { return try reader.next(sampledAt: 12) } catch { return nil }
    }
}
