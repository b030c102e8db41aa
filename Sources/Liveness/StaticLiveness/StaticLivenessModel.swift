import Foundation

/// Two logistic detectors over `FaceTexture` numbers, one per kind of sign: the colour LBP
/// histograms (a print's grain and dull colours) and the spectrum's moiré peak (a screen's grid). Each
/// standardises its numbers by the training set's mean and deviation, weighs, sums and
/// squashes them to 0-100; the live score is the lower of the two, so that either sign
/// alone rejects. (One model over all numbers let the 354 histogram bins drown the
/// spectrum: see README "Static liveness".) Trained and written by
/// `veriface eval static-liveness --write-model`; plain values, cheap to copy.
public struct StaticLivenessModel: Sendable, Equatable, Codable {
    public struct Detector: Sendable, Equatable, Codable {
        public var name: String
        /// The `FaceTexture` numbers it reads: `first..<end`.
        public var first: Int
        public var end: Int
        public var means: [Float]
        public var deviations: [Float]
        public var weights: [Float]
        public var bias: Float

        public init(name: String, first: Int, end: Int, means: [Float], deviations: [Float], weights: [Float], bias: Float) {
            precondition(means.count == end - first && deviations.count == end - first && weights.count == end - first)
            self.name = name; self.first = first; self.end = end
            self.means = means; self.deviations = deviations; self.weights = weights; self.bias = bias
        }

        /// 0-100 of one face's whole `FaceTexture`.
        public func score(_ texture: [Float]) -> Float {
            var sum = bias
            for index in 0..<weights.count {
                sum += weights[index] * (texture[first + index] - means[index]) / deviations[index]
            }
            return 100 / (1 + exp(-sum))
        }
    }

    public var detectors: [Detector]
    /// Scores at or above it are live.
    public var threshold: Float
    /// How it was trained, for the engines list.
    public var trainedOn: String

    public init(detectors: [Detector], threshold: Float, trainedOn: String) {
        self.detectors = detectors
        self.threshold = threshold
        self.trainedOn = trainedOn
    }

    /// The numbers each detector reads, by name: what `veriface eval static-liveness` trains.
    /// Number 354, the spectrum's share of high frequencies, is left out: it follows
    /// resolution and compression as much as screens, and before LFW joined the training set
    /// the detector that read it beside the moiré peak did worse (equal error rate 27.6 %
    /// against 21.3 % for the peak alone, leaving one person out).
    public static let parts: [(name: String, first: Int, end: Int)] = [
        ("colour texture", 0, 354), ("moire", 355, 356),
    ]

    /// Live score 0-100 of one face's `FaceTexture`: the lowest detector's.
    public func score(_ texture: [Float]) -> Float {
        detectors.map { $0.score(texture) }.min() ?? 0
    }
}

extension StaticLivenessModel {
    /// The model trained on the whole labelled set, shipped with the server.
    public static let shipped: StaticLivenessModel = {
        let url = Bundle.module.url(forResource: "static-liveness-model", withExtension: "json")!
        do {
            return try JSONDecoder().decode(StaticLivenessModel.self, from: Data(contentsOf: url))
        } catch {
            fatalError("the shipped static-liveness-model.json does not load: \(error)")
        }
    }()

    /// The model as it is shipped: sorted keys, one number per line, so that a retrained
    /// model's diff shows what changed.
    public func shippedJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
