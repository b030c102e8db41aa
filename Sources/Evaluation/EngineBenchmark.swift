import FaceServices
import Foundation

/// Per-stage latency of the face engines on one core, and pipeline throughput with one
/// and two workers.
public struct EngineBenchmark: Sendable {
    public struct Stage: Sendable, Codable {
        public var name: String
        public var medianMs: Double
        public var p90Ms: Double
    }

    public struct Throughput: Sendable, Codable {
        public var workers: Int
        public var perSecond: Double
        public var medianMs: Double
        public var p99Ms: Double
    }

    public struct Report: Sendable, Codable {
        public var machine: MachineInfo
        public var image: String
        public var width: Int
        public var height: Int
        public var iterations: Int
        public var stages: [Stage]
        public var throughput: [Throughput]
        /// The most the median of `pipelineStage` may take (issue 2 of the engine's brief).
        public var pipelineTargetMs: Double

        public var pipeline: Stage? { stages.first { $0.name == EngineBenchmark.pipelineStage } }
    }

    /// What a 1:1 compare costs for one photo: detect the largest face, align it, embed it.
    public static let pipelineStage = "detect+align+embed YuNet+SFace"
    public static let pipelineTargetMs = 30.0

    public var options: EngineOptions
    public var iterations: Int
    public var throughputRequests: Int

    public init(options: EngineOptions, iterations: Int = 30, throughputRequests: Int = 60) {
        self.options = options
        self.iterations = iterations
        self.throughputRequests = throughputRequests
    }

    static func milliseconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }

    public func run(imagePath: String, width: Int, height: Int) async throws -> Report {
        FaceMeasurements.setOpenCVThreads(1)
        let original = try DecodedImage(bytes: Data(contentsOf: URL(fileURLWithPath: imagePath)))
        let image = try original.resized(width: width, height: height)
        let jpeg = try image.jpeg()
        let engine = try FaceEngine(options: options)
        guard let face = try engine.detect(image, maxFaces: 1).first else {
            throw EvaluationError.badInput("\(imagePath): no face at \(width)x\(height)")
        }

        var stages: [(String, () throws -> Void)] = [
            ("decode JPEG", { _ = try DecodedImage(bytes: jpeg) }),
            ("detect YuNet, all faces", { _ = try engine.detect(image, maxFaces: 10) }),
            ("detect YuNet, largest face", { _ = try engine.detect(image, maxFaces: 1) }),
            ("align+embed SFace", { _ = try engine.embed(image, face: face, with: .sface) }),
            (Self.pipelineStage, {
                let f = try engine.detect(image, maxFaces: 1)[0]
                _ = try engine.embed(image, face: f, with: .sface)
            }),
            ("quality", { _ = QualityAssessor.assess(image, face: face) }),
        ]
        if options.dlib {
            stages += [
                ("detect dlib HOG", { _ = try engine.detect(image, detector: .hog, maxFaces: 10) }),
                ("align+embed dlib ResNet", { _ = try engine.embed(image, face: face, with: .dlib) }),
                ("fused path: detect+SFace+dlib", {
                    let f = try engine.detect(image, maxFaces: 1)[0]
                    _ = try engine.embed(image, face: f, with: .sface)
                    _ = try engine.embed(image, face: f, with: .dlib)
                }),
            ]
        }
        if options.mesh { stages.append(("mesh 468+iris", { _ = try engine.mesh(image, face: face) })) }
        if options.attributes { stages.append(("age+gender", { _ = try engine.ageAndGender(image, face: face) })) }

        let progress = ProgressLine("bench stages", total: stages.count * (iterations + 2))
        var results: [Stage] = []
        for (name, body) in stages {
            for _ in 0..<2 { try body(); progress.advance() } // warm-up
            var times: [Double] = []
            for _ in 0..<iterations {
                times.append(try Self.milliseconds(body))
                progress.advance()
            }
            results.append(Stage(name: name, medianMs: Statistics.median(times), p90Ms: Statistics.percentile(times, 90)))
        }
        progress.finish()

        var throughput: [Throughput] = []
        for workers in [1, 2] {
            throughput.append(try await measureThroughput(image: image, workers: workers))
        }
        return Report(machine: .current(), image: imagePath, width: width, height: height, iterations: iterations,
                      stages: results, throughput: throughput, pipelineTargetMs: Self.pipelineTargetMs)
    }

    /// Requests of detect + align + embed (YuNet + SFace) kept queued on a pool.
    func measureThroughput(image: DecodedImage, workers: Int) async throws -> Throughput {
        let pool = try EnginePool(options: EngineOptions(modelsDirectory: options.modelsDirectory, dlib: false,
                                                         mesh: false, attributes: false), workers: workers)
        defer { pool.shutdown() }
        let progress = ProgressLine("throughput, \(workers) worker(s)", total: throughputRequests)
        let start = DispatchTime.now().uptimeNanoseconds
        let latencies = try await withThrowingTaskGroup(of: Double.self) { group in
            for _ in 0..<throughputRequests {
                group.addTask {
                    let submitted = DispatchTime.now().uptimeNanoseconds
                    try await pool.run { engine in
                        let face = try engine.detect(image, maxFaces: 1)[0]
                        _ = try engine.embed(image, face: face, with: .sface)
                    }
                    return Double(DispatchTime.now().uptimeNanoseconds - submitted) / 1e6
                }
            }
            var all: [Double] = []
            for try await latency in group { all.append(latency); progress.advance() }
            return all
        }
        progress.finish()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Throughput(workers: workers, perSecond: Double(throughputRequests) / seconds,
                          medianMs: Statistics.median(latencies), p99Ms: Statistics.percentile(latencies, 99))
    }
}
