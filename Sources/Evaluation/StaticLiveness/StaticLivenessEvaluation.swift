import FaceServices
import Foundation
import Liveness

/// Trains and measures the static liveness classifier (`StaticLivenessModel`) on every
/// labelled face of ../shared/data that a single photo can be judged on, grouped by person:
///
/// - the live and phone-screen replay face crops of spoof/…/dataset and frames of the
///   recordings beside them (real2 live, fake2 a real phone-screen replay): one person;
/// - each person of videos/liveportrait: frames of their clip (live), and of a print and a
///   simulated screen replay made from it with ffmpeg (`PADCorpus`);
/// - news photos of LFW, every 7th person's first (live), half of them printed and half
///   replayed on a simulated screen; five groups of distinct people.
///
/// Measured by leaving one person out: the model trained on the other people scores every
/// face of the person left out, so no figure comes from a face, a recording or a person
/// that the scoring model saw. A still photo shown as video is left out: its frames are the
/// clip's own pixels, which no single-image test can tell apart (the live session's motion
/// and challenge checks stop it).
public struct StaticLivenessEvaluation: Sendable {
    public struct Row: Sendable, Codable {
        public var kind: String
        public var live: Bool
        public var faces: Int
        /// BPCER for live faces, APCER for an attack type, at the threshold.
        public var errorRate: Double
        public var medianScore: Double
        /// Error rate of each person's faces when that person was left out.
        public var byPerson: [String: Double]
    }

    public struct Report: Sendable, Codable {
        public var machine: MachineInfo
        public var threshold: Float
        public var rows: [Row]
        public var equalErrorRate: Double
        public var areaUnderROC: Double
        public var seconds: Double
    }

    struct Sample {
        var features: [Float]
        var live: Bool
        var person: String
        var kind: String
    }

    public static let datasetFolder = "spoof/apfol_liveness_detection_opencv/dataset"
    static let apfolPerson = "real2/fake2"
    public static let threshold: Float = 50

    public let data: URL
    public let corpus: URL
    public let pool: EnginePool

    public init(data: URL, corpus: URL, pool: EnginePool) {
        self.data = data
        self.corpus = corpus
        self.pool = pool
    }

    /// The figures left-one-person-out, and the model trained on everyone.
    public func run(machine: MachineInfo) async throws -> (report: Report, model: StaticLivenessModel) {
        let started = Date()
        // In a fixed order (the tasks finish in any), so that training again writes the same model.
        let samples = try await (datasetCrops() + videoFrames() + lfwPhotos()).sorted {
            ($0.person, $0.kind) != ($1.person, $1.kind) ? ($0.person, $0.kind) < ($1.person, $1.kind)
                : $0.features.lexicographicallyPrecedes($1.features)
        }
        let people = Array(Set(samples.map(\.person))).sorted()
        var scores = [Float](repeating: 0, count: samples.count)
        let progress = ProgressLine("leave one person out", total: people.count)
        for person in people {
            let training = samples.filter { $0.person != person }
            let model = LogisticRegression().fitModel(training.map(\.features), live: training.map(\.live), threshold: Self.threshold, trainedOn: "")
            for index in samples.indices where samples[index].person == person { scores[index] = model.score(samples[index].features) }
            progress.advance()
        }
        progress.finish()
        let liveCount = samples.filter(\.live).count
        let model = LogisticRegression().fitModel(samples.map(\.features), live: samples.map(\.live), threshold: Self.threshold, trainedOn:
            "\(liveCount) live and \(samples.count - liveCount) attack faces in ../shared/data: spoof/apfol_liveness_detection_opencv crops "
            + "and recordings (live, a real phone-screen replay), videos/liveportrait clips and every 7th person of LFW (live), "
            + "and prints and screen replays simulated from them with ffmpeg; colour LBP and moire detectors, logistic regression; "
            + "`veriface eval static-liveness`")
        let (eer, auc) = Self.separation(scores: scores, live: samples.map(\.live))
        let report = Report(machine: machine, threshold: Self.threshold, rows: Self.rows(samples, scores), equalErrorRate: eer,
                            areaUnderROC: auc, seconds: Date().timeIntervalSince(started))
        return (report, model)
    }

    // MARK: The faces

    /// The crops are faces already: the whole image is the face box.
    func datasetCrops() async throws -> [Sample] {
        let root = data.appendingPathComponent(Self.datasetFolder)
        var files: [(url: URL, live: Bool)] = []
        for (folder, live) in [("real", true), ("fake", false)] {
            let directory = root.appendingPathComponent(folder)
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".png") }.sorted()
            guard !names.isEmpty else { throw EvaluationInputError("no .png crops in \(directory.path)") }
            files += names.map { (directory.appendingPathComponent($0), live) }
        }
        let progress = ProgressLine("texture of the dataset's crops", total: files.count)
        defer { progress.finish() }
        return try await withThrowingTaskGroup(of: Sample.self) { group in
            for file in files {
                group.addTask {
                    let features = try await pool.run { _ in
                        let image = try DecodedImage(bytes: try Data(contentsOf: file.url))
                        guard let numbers = FaceTexture.measure(image, box: Box(x: 0, y: 0, width: Float(image.width), height: Float(image.height))) else {
                            throw EvaluationInputError("\(file.url.path): too small for a texture")
                        }
                        return numbers
                    }
                    progress.advance()
                    return Sample(features: features, live: file.live, person: Self.apfolPerson,
                                  kind: file.live ? "live" : "phone-screen replay (recorded)")
                }
            }
            var samples: [Sample] = []
            for try await sample in group { samples.append(sample) }
            return samples
        }
    }

    /// Frames of the recordings, the faces found by YuNet as the API finds them.
    func videoFrames() async throws -> [Sample] {
        let padCorpus = PADCorpus(data: data, folder: corpus)
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        var sources: [(person: String, kind: String, live: Bool, video: URL, rate: Double)] = [
            (Self.apfolPerson, "live", true, data.appendingPathComponent(PADCorpus.people.first { $0.name == "real2" }!.clip), 2),
            (Self.apfolPerson, "phone-screen replay (recorded)", false, data.appendingPathComponent(PADCorpus.screenReplay), 2),
        ]
        for person in PADCorpus.people where person.name != "real2" {
            _ = try padCorpus.still(person.name, person.clip, at: person.still)
            sources.append((person.name, "live", true, data.appendingPathComponent(person.clip), 2))
            sources.append((person.name, "printed photo (simulated)", false, try padCorpus.printed(person.name, person.clip, at: person.still), 1))
            sources.append((person.name, "screen replay (simulated)", false, try padCorpus.simulatedReplay(person.name, person.clip), 2))
        }
        let progress = ProgressLine("faces of the recordings", total: sources.count)
        defer { progress.finish() }
        return try await withThrowingTaskGroup(of: [Sample].self) { group in
            for source in sources {
                group.addTask {
                    let textures = try await pool.run { engine in try Self.textures(source.video, rate: source.rate, on: engine) }
                    progress.advance()
                    return textures.map { Sample(features: $0, live: source.live, person: source.person, kind: source.kind) }
                }
            }
            var samples: [Sample] = []
            for try await some in group { samples += some }
            return samples
        }
    }

    /// Every 7th person of LFW: the photo (live) and, in turn, a print or a screen replay of it.
    func lfwPhotos() async throws -> [Sample] {
        let root = data.appendingPathComponent("lfw/images")
        let folder = corpus.appendingPathComponent("static-lfw")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let people = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted().enumerated().filter { $0.offset % 7 == 0 }.map(\.element)
        guard !people.isEmpty else { throw EvaluationInputError("no people in \(root.path)") }
        var photos: [(person: String, group: String, kind: String, live: Bool, url: URL)] = []
        for (index, person) in people.enumerated() {
            guard let name = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(person).path).filter({ $0.hasSuffix(".jpg") }).min() else { continue }
            let photo = root.appendingPathComponent(person).appendingPathComponent(name)
            let group = "LFW \(index % 5 + 1)/5"
            photos.append((person, group, "live", true, photo))
            let printed = index % 2 == 0
            let out = folder.appendingPathComponent((printed ? "print-" : "replay-") + person + ".png")
            try Ffmpeg.make(out, ["-i", photo.path, "-vf", printed ? "\(PADCorpus.paper),noise=alls=14:allf=u" : PADCorpus.screen])
            photos.append((person, group, printed ? "printed photo (simulated)" : "screen replay (simulated)", false, out))
        }
        let progress = ProgressLine("faces of LFW photos", total: photos.count)
        defer { progress.finish() }
        return try await withThrowingTaskGroup(of: Sample?.self) { group in
            for photo in photos {
                group.addTask {
                    let texture = try await pool.run { engine -> [Float]? in
                        let image = try DecodedImage(bytes: try Data(contentsOf: photo.url))
                        guard let face = try engine.detect(image, minScore: 0.8, minFaceSize: 40, maxFaces: 1, coarseToFine: false).first else { return nil }
                        return FaceTexture.measure(image, box: face.box)
                    }
                    progress.advance()
                    return texture.map { Sample(features: $0, live: photo.live, person: photo.group, kind: photo.kind) }
                }
            }
            var samples: [Sample] = []
            for try await sample in group { if let sample { samples.append(sample) } }
            return samples
        }
    }

    static func textures(_ video: URL, rate: Double, on engine: FaceEngine) throws -> [[Float]] {
        let reader = try VideoReader(path: video.path)
        var textures: [[Float]] = []
        while let frame = try reader.next(sampledAt: rate) {
            guard let face = try engine.detect(frame.image, minScore: 0.8, minFaceSize: 40, maxFaces: 1, coarseToFine: true).first,
                  let numbers = FaceTexture.measure(frame.image, box: face.box) else { continue }
            textures.append(numbers)
        }
        return textures
    }

    // MARK: Figures

    static func rows(_ samples: [Sample], _ scores: [Float]) -> [Row] {
        var kinds: [String] = []
        for sample in samples where !kinds.contains(sample.kind) { kinds.append(sample.kind) }
        kinds.sort { ($0 == "live" ? 0 : 1, $0) < ($1 == "live" ? 0 : 1, $1) }
        return kinds.map { kind in
            let chosen = samples.indices.filter { samples[$0].kind == kind }
            let live = samples[chosen[0]].live
            func errorRate(_ indices: [Int]) -> Double {
                Double(indices.filter { (scores[$0] >= threshold) != live }.count) / Double(max(indices.count, 1))
            }
            var byPerson: [String: Double] = [:]
            for person in Set(chosen.map { samples[$0].person }) { byPerson[person] = errorRate(chosen.filter { samples[$0].person == person }) }
            return Row(kind: kind, live: live, faces: chosen.count, errorRate: errorRate(chosen),
                       medianScore: Statistics.median(chosen.map { Double(scores[$0]) }), byPerson: byPerson)
        }
    }

    /// Equal error rate, and the area under the ROC (the chance that a live face outscores an
    /// attack; ties count half).
    static func separation(scores: [Float], live: [Bool]) -> (eer: Double, auc: Double) {
        let liveScores = zip(scores, live).filter { $0.1 }.map(\.0)
        let attackScores = zip(scores, live).filter { !$0.1 }.map(\.0)
        var wins = 0.0
        for l in liveScores { for a in attackScores { wins += l > a ? 1 : (l == a ? 0.5 : 0) } }
        var eer = 1.0
        for t in Set(scores).sorted() {
            let apcer = Double(attackScores.filter { $0 >= t }.count) / Double(max(attackScores.count, 1))
            let bpcer = Double(liveScores.filter { $0 < t }.count) / Double(max(liveScores.count, 1))
            eer = min(eer, max(apcer, bpcer))
        }
        return (eer, wins / Double(max(liveScores.count * attackScores.count, 1)))
    }
}

/// A data folder that lacks what an evaluation needs.
public struct EvaluationInputError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
