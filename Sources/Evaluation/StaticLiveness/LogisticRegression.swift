import Foundation
import Liveness

/// L2-regularised logistic regression by full-batch gradient descent with Adam steps, on
/// standardised features, each class weighted by the inverse of its size (the sets are
/// unbalanced). Small and deterministic: enough for a few hundred features and samples.
struct LogisticRegression {
    var l2: Float = 0.05
    var iterations = 600
    var learningRate: Float = 0.05
    static let liveRejectedInTraining: Float = 0.05

    /// Every detector of `StaticLivenessModel.parts`, each fitted on its own numbers.
    func fitModel(_ textures: [[Float]], live: [Bool], threshold: Float, trainedOn: String) -> StaticLivenessModel {
        StaticLivenessModel(detectors: StaticLivenessModel.parts.map { part in
            fit(textures.map { Array($0[part.first..<part.end]) }, live: live, name: part.name, first: part.first)
        }, threshold: threshold, trainedOn: trainedOn)
    }

    /// `live[i]` is the label of `samples[i]`, the numbers `first...` of a texture.
    func fit(_ samples: [[Float]], live: [Bool], name: String, first: Int) -> StaticLivenessModel.Detector {
        precondition(!samples.isEmpty && samples.count == live.count)
        let dimensions = samples[0].count
        var means = [Float](repeating: 0, count: dimensions)
        var deviations = [Float](repeating: 0, count: dimensions)
        for sample in samples { for d in 0..<dimensions { means[d] += sample[d] } }
        for d in 0..<dimensions { means[d] /= Float(samples.count) }
        for sample in samples { for d in 0..<dimensions { deviations[d] += (sample[d] - means[d]) * (sample[d] - means[d]) } }
        // A feature that never varies (an LBP bin nobody hits) gets deviation 1: weight ~0 anyway.
        for d in 0..<dimensions { deviations[d] = max(sqrt(deviations[d] / Float(samples.count)), 1e-6) }
        let x = samples.map { sample in (0..<dimensions).map { (sample[$0] - means[$0]) / deviations[$0] } }
        let y = live.map { $0 ? Float(1) : 0 }
        let liveCount = Float(live.filter { $0 }.count), attackCount = Float(live.count) - liveCount
        let sampleWeights = live.map { $0 ? Float(samples.count) / (2 * max(liveCount, 1)) : Float(samples.count) / (2 * max(attackCount, 1)) }

        var weights = [Float](repeating: 0, count: dimensions), bias: Float = 0
        var m = [Float](repeating: 0, count: dimensions + 1), v = m
        let beta1: Float = 0.9, beta2: Float = 0.999
        for step in 1...iterations {
            var gradient = [Float](repeating: 0, count: dimensions + 1)
            for (index, row) in x.enumerated() {
                var z = bias
                for d in 0..<dimensions { z += weights[d] * row[d] }
                let error = (1 / (1 + exp(-z)) - y[index]) * sampleWeights[index]
                for d in 0..<dimensions { gradient[d] += error * row[d] }
                gradient[dimensions] += error
            }
            for d in 0...dimensions {
                gradient[d] /= Float(x.count)
                if d < dimensions { gradient[d] += l2 * weights[d] }
                m[d] = beta1 * m[d] + (1 - beta1) * gradient[d]
                v[d] = beta2 * v[d] + (1 - beta2) * gradient[d] * gradient[d]
                let change = learningRate * (m[d] / (1 - pow(beta1, Float(step)))) / (sqrt(v[d] / (1 - pow(beta2, Float(step)))) + 1e-8)
                if d < dimensions { weights[d] -= change } else { bias -= change }
            }
        }
        // Where more than 5 % of the live training faces score under 50, the midpoint moves down
        // to their 5th percentile: each detector alone rejects at most about 5 % of live faces
        // like those it saw, however far the attacks it learnt from overlap them.
        let liveLogits = x.indices.filter { live[$0] }.map { index in
            (0..<dimensions).reduce(bias) { $0 + weights[$1] * x[index][$1] }
        }.sorted()
        if !liveLogits.isEmpty { bias -= min(0, liveLogits[Int(Float(liveLogits.count - 1) * Self.liveRejectedInTraining)]) }
        return StaticLivenessModel.Detector(name: name, first: first, end: first + dimensions, means: means,
                                            deviations: deviations, weights: weights, bias: bias)
    }
}
