import FaceServices
import Foundation
import Liveness

/// Presentation attack detection measured as ISO/IEC 30107-3 asks: for each mode, the
/// share of each attack type's presentations accepted (APCER) and of bona fide
/// presentations rejected (BPCER), at the thresholds the server runs with.
public struct PADEvaluation: Sendable {
    public struct Row: Sendable, Codable {
        public var mode: String
        public var label: String
        public var presentations: Int
        /// Accepted (attacks) or rejected (bona fide).
        public var errors: Int
        /// APCER for an attack type, BPCER for bona fide.
        public var rate: Double
        /// The names of the presentations in error, and how each was decided.
        public var inError: [String]
        /// Every presentation of the row and how it was decided, in the same form.
        public var decisions: [String]
        /// Return codes given, with counts.
        public var codes: [String: Int]
    }

    public struct Report: Sendable, Codable {
        public var machine: MachineInfo
        public var rows: [Row]
        public var thresholds: [String: String]
        public var seconds: Double
    }

    public let pool: EnginePool

    public init(pool: EnginePool) { self.pool = pool }

    public func run(_ samples: [PADSample], machine: MachineInfo) async throws -> Report {
        let started = Date()
        let progress = ProgressLine("eval pad", total: samples.count)
        let outcomes = try await withThrowingTaskGroup(of: (Int, PADPresentation.Outcome).self) { group in
            var results = [PADPresentation.Outcome?](repeating: nil, count: samples.count)
            for (index, sample) in samples.enumerated() {
                group.addTask {
                    let outcome = try await pool.run { engine in try PADPresentation.run(sample, on: engine) }
                    progress.advance()
                    return (index, outcome)
                }
            }
            for try await (index, outcome) in group { results[index] = outcome }
            return results.map { $0! }
        }
        progress.finish()
        var rows: [Row] = []
        for mode in [SceneRules.Mode.action, .silent, .colourFlash, .nearFar] {
            let inMode = samples.indices.filter { samples[$0].mode == mode }
            var labels: [PADSample.Label] = [.bonaFide]
            for index in inMode where !labels.contains(samples[index].label) { labels.append(samples[index].label) }
            for label in labels {
                let chosen = inMode.filter { samples[$0].label == label }
                guard !chosen.isEmpty else { continue }
                let wrong = chosen.filter { outcomes[$0].accepted == (label != .bonaFide) }
                var codes: [String: Int] = [:]
                for index in chosen { codes[String(outcomes[index].code), default: 0] += 1 }
                let decided = { (index: Int) in "\(samples[index].name): \(outcomes[index].code) \(outcomes[index].reason)" }
                rows.append(Row(mode: mode.rawValue, label: label.name, presentations: chosen.count, errors: wrong.count,
                                rate: Double(wrong.count) / Double(chosen.count),
                                inError: wrong.map(decided), decisions: chosen.map(decided), codes: codes))
            }
        }
        let challenge = ChallengeRules(), flash = ColourFlashCheck.Rules(), nearFar = NearFarCheck.Rules()
        let thresholds = [
            "action": "turn \(challenge.turn) deg, mouth +\(challenge.mouthOpen), eyes closed below \(challenge.eyesClosed) of open; another person below cosine \(challenge.otherFace)",
            "silent": "a blink (eyes below \(challenge.eyesClosed) of open, back above \(challenge.eyesReopened)) and median static liveness >= \(Int(PassiveCheck.floor))",
            "colour_flash": "correlation >= \(flash.minCorrelation), amplitude >= \(flash.minAmplitude), camera delay \(flash.lags.first!)...\(flash.lags.last!) s",
            "near_far": "size x\(nearFar.minSizeChange), proportion rise >= \(Int(nearFar.minRise * 100)) %",
        ]
        return Report(machine: machine, rows: rows, thresholds: thresholds, seconds: Date().timeIntervalSince(started))
    }
}
