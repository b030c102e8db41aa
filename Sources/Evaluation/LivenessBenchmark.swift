import FaceServices
import Foundation
import Liveness

/// Per-frame cost of the liveness analysis (`FrameAnalyzer`) on one core, over frames of
/// real clips replayed as the H5 page sends them (about 12 per second, longest side 640),
/// and how many live sessions one core keeps up with.
public struct LivenessBenchmark: Sendable {
    public struct Figures: Sendable, Codable {
        public var name: String
        public var medianMs: Double
        public var p99Ms: Double
        public var meanMs: Double

        init(_ name: String, _ times: [Double]) {
            self.name = name
            medianMs = Statistics.median(times)
            p99Ms = Statistics.percentile(times, 99)
            meanMs = Statistics.meanAndStd(times).mean
        }
    }

    public struct Report: Sendable, Codable {
        public var machine: MachineInfo
        public var clips: [String]
        public var frames: Int
        public var rate: Double
        public var longestSide: Int
        /// Each engine stage alone.
        public var stages: [Figures]
        /// The whole analysis with the embedding on every frame.
        public var everyFrame: Figures
        /// The whole analysis without the embedding.
        public var withoutEmbedding: Figures
        /// As a session runs it: the face tracked, the detector and the embedding on every
        /// `embedEvery`-th frame only.
        public var embedEvery: Int
        public var scheduled: Figures
        /// 1000 / (rate x mean ms): sessions one core sustains.
        public var sessionsPerCoreEveryFrame: Double
        public var sessionsPerCoreScheduled: Double
        public var targetMs: Double
    }

    public var options: EngineOptions
    public var rate: Double
    public var framesPerClip: Int
    public var longestSide: Int
    public var embedEvery: Int
    public static let targetMs = 40.0

    public init(options: EngineOptions, rate: Double = 12, framesPerClip: Int = 30, longestSide: Int = 640, embedEvery: Int = 3) {
        self.options = options
        self.rate = rate
        self.framesPerClip = framesPerClip
        self.longestSide = longestSide
        self.embedEvery = max(1, embedEvery)
    }

    /// Video files in `path` (searched recursively) or `path` itself.
    public static func clips(at path: String) -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return [] }
        guard isFolder.boolValue else { return [path] }
        let kinds: Set<String> = ["mp4", "webm", "mkv", "avi", "mov"]
        let found = FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? []
        return found.filter { kinds.contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
            .map { (path as NSString).appendingPathComponent($0) }
    }

    static func milliseconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }

    public func run(clips: [String]) throws -> Report {
        guard !clips.isEmpty else { throw EvaluationError.badInput("no video clips") }
        FaceMeasurements.setOpenCVThreads(1)
        let engine = try FaceEngine(options: options)
        let analysis = FrameAnalysisOptions()
        var detect: [Double] = [], quality: [Double] = [], mesh: [Double] = [], embed: [Double] = []
        var full: [Double] = [], bare: [Double] = [], scheduled: [Double] = []
        var warmedUp = false
        let progress = ProgressLine("liveness frames", total: clips.count * framesPerClip)
        for clip in clips {
            let reader = try VideoReader(path: clip)
            var taken = 0
            var track: FaceTrack?
            while taken < framesPerClip, let frame = try reader.next(sampledAt: rate) {
                let image = try scaled(frame.image)
                if !warmedUp {
                    for _ in 0..<3 { _ = try FrameAnalyzer.analyze(image, on: engine, options: analysis) }
                    warmedUp = true
                }
                let withEmbedding = try Self.milliseconds { _ = try FrameAnalyzer.analyze(image, on: engine, options: analysis) }
                let without = try Self.milliseconds { _ = try FrameAnalyzer.analyze(image, on: engine, options: analysis, embed: false) }
                full.append(withEmbedding)
                bare.append(without)
                scheduled.append(try Self.milliseconds {
                    track = try FrameAnalyzer.analyze(image, on: engine, options: analysis, embed: taken % embedEvery == 0,
                                                      track: track).track
                })

                var faces: [Face] = []
                detect.append(try Self.milliseconds {
                    faces = try engine.detect(image, minScore: analysis.minScore, minFaceSize: analysis.minFaceSize,
                                              maxFaces: analysis.maxFaces, coarseToFine: true)
                })
                if let face = faces.first {
                    quality.append(Self.milliseconds { _ = QualityAssessor.assess(image, face: face) })
                    mesh.append(try Self.milliseconds { _ = try engine.mesh(image, face: face) })
                    embed.append(try Self.milliseconds { _ = try engine.embed(image, face: face, with: .sface) })
                }
                taken += 1
                progress.advance()
            }
        }
        progress.finish()
        let everyFrame = Figures("analysis, embedding every frame", full)
        let scheduledFigures = Figures("as a session runs it (detect + embed 1 frame in \(embedEvery))", scheduled)
        return Report(
            machine: .current(), clips: clips, frames: full.count, rate: rate, longestSide: longestSide,
            stages: [Figures("detect YuNet coarse to fine (up to 4 faces)", detect), Figures("quality", quality),
                     Figures("mesh 468 + iris and eyelids (pose, openness)", mesh), Figures("align+embed SFace", embed)],
            everyFrame: everyFrame, withoutEmbedding: Figures("analysis without embedding", bare),
            embedEvery: embedEvery, scheduled: scheduledFigures,
            sessionsPerCoreEveryFrame: 1000 / (rate * everyFrame.meanMs),
            sessionsPerCoreScheduled: 1000 / (rate * scheduledFigures.meanMs),
            targetMs: Self.targetMs)
    }

    /// The frame as the H5 page would send it: longest side at most `longestSide`.
    func scaled(_ image: DecodedImage) throws -> DecodedImage {
        let longest = max(image.width, image.height)
        guard longest > longestSide else { return image }
        let scale = Double(longestSide) / Double(longest)
        return try image.resized(width: Int((Double(image.width) * scale).rounded()),
                                 height: Int((Double(image.height) * scale).rounded()))
    }
}
