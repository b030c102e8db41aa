import FaceServices
import Foundation
import Liveness
import TestSupport

/// One analysed frame of a replayed clip.
struct AnalysedFrame: Sendable {
    var frame: Int
    var time: Double
    var signals: FrameSignals
}

/// Real clips decoded with `VideoReader` at the H5 page's 12 frames per second and analysed
/// once per test process on the shared engines (two frames at a time, one per worker).
actor AnalysisClips {
    static let shared = AnalysisClips()
    static let rate = 12.0
    let analyzer = FrameAnalyzer(faces: TestData.service)
    private var cache: [String: [AnalysedFrame]] = [:]

    /// The clip's frames up to `until` seconds (analysing less keeps the tests quick).
    func frames(_ clip: String, until: Double = .infinity) async throws -> [AnalysedFrame] {
        let key = "\(clip)@\(until)"
        if let cached = cache[key] { return cached }
        let reader = try VideoReader(path: TestData.url(clip).path)
        var batch: [VideoFrame] = []
        var analysed: [AnalysedFrame] = []
        while let frame = try reader.next(sampledAt: Self.rate), frame.time < until {
            batch.append(frame)
            if batch.count == 4 {
                analysed += try await Self.analyse(batch, with: analyzer)
                batch = []
            }
        }
        analysed += try await Self.analyse(batch, with: analyzer)
        cache[key] = analysed
        return analysed
    }

    private static func analyse(_ batch: [VideoFrame], with analyzer: FrameAnalyzer) async throws -> [AnalysedFrame] {
        try await withThrowingTaskGroup(of: AnalysedFrame.self) { group in
            for frame in batch {
                group.addTask { AnalysedFrame(frame: frame.index, time: frame.time, signals: try await analyzer.analyze(frame.image)) }
            }
            var all: [AnalysedFrame] = []
            for try await result in group { all.append(result) }
            return all.sorted { $0.frame < $1.frame }
        }
    }

    /// The clip analysed as a live session does: frame after frame with the face tracked,
    /// the embedding on every `embedEvery`-th frame; also how many frames ran the detector.
    func tracked(_ clip: String, until: Double = .infinity, embedEvery: Int = 3) async throws -> (frames: [AnalysedFrame], detections: Int) {
        let reader = try VideoReader(path: TestData.url(clip).path)
        var analysed: [AnalysedFrame] = []
        var track: FaceTrack?
        var detections = 0
        while let frame = try reader.next(sampledAt: Self.rate), frame.time < until {
            let (signals, next) = try await analyzer.analyze(frame.image, embed: analysed.count % embedEvery == 0, track: track)
            if next == nil || next?.framesSinceDetection == 0 { detections += 1 }
            track = next
            analysed.append(AnalysedFrame(frame: frame.index, time: frame.time, signals: signals))
        }
        return (analysed, detections)
    }

    /// Signals of a still image, analysed once.
    func still(_ file: String) async throws -> FrameSignals {
        try await analyzer.analyze(try TestData.image(file))
    }
}

/// Feeds frames to a tracker until it decides (or the frames end, then `finish`).
struct Replay {
    var decision: ChallengeDecision
    var hints: [[LivenessHint]]
    var updates: [ChallengeUpdate]

    /// With `rules.embedEvery` > 1 the embedding is dropped from the frames where the
    /// tracker does not want it, as the session's schedule would skip computing it.
    static func run(_ challenge: [LivenessAction], _ frames: [AnalysedFrame], rules: ChallengeRules = ChallengeRules()) -> Replay {
        let tracker = ChallengeTracker(challenge: Challenge(actions: challenge), rules: rules)
        var hints: [[LivenessHint]] = [], updates: [ChallengeUpdate] = []
        for frame in frames {
            var signals = frame.signals
            if !tracker.wantsEmbedding { signals.embedding = nil }
            let update = tracker.observe(signals, frame: frame.frame, at: frame.time)
            hints.append(update.hints)
            updates.append(update)
            if let decision = update.decision { return Replay(decision: decision, hints: hints, updates: updates) }
        }
        let end = (frames.last?.time ?? 0) + 1 / AnalysisClips.rate
        return Replay(decision: tracker.finish(at: end), hints: hints, updates: updates)
    }

    /// The same signals every frame for `seconds` (a photo held to the camera).
    static func repeated(_ signals: FrameSignals, seconds: Double, from start: Double = 0, firstFrame: Int = 0) -> [AnalysedFrame] {
        let count = Int(seconds * AnalysisClips.rate)
        return (0..<count).map { AnalysedFrame(frame: firstFrame + $0, time: start + Double($0) / AnalysisClips.rate, signals: signals) }
    }
}

extension ChallengeDecision {
    var summary: String { "\(passed ? "pass" : "fail") \(code) \(reason); done \(done.map { "\($0.action.rawValue)@\(String(format: "%.2f", $0.completedAt))" })" }
}
