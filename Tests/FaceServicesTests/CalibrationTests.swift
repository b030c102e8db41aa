import Evaluation
import FaceServices
import Foundation
import TestSupport
import XCTest

final class CalibrationTests: XCTestCase {
    func testCalibratedMapPutsTheFARLevelsOnTheirScores() {
        // 100 000 impostor scores spread evenly over -0.5...0.5.
        let impostors = (0..<100_000).map { Float($0) / 100_000 - 0.5 }
        let map = ScoreMap.calibrated(impostors: impostors, range: -1...1)
        for (far, score) in ScoreMap.farScores where Double(impostors.count) * far >= 1 {
            let threshold = map.raw(atScore: score)
            let share = Double(impostors.filter { $0 > threshold }.count) / Double(impostors.count)
            XCTAssertEqual(share, far, accuracy: far * 0.2 + 2e-5, "FAR \(far)")
        }
        var previous: Float = -1
        for raw in stride(from: Float(-1), through: 1, by: 0.01) {
            let score = map.score(raw)
            XCTAssertGreaterThanOrEqual(score, previous)
            previous = score
        }
        XCTAssertEqual(map.score(-1), 0)
        XCTAssertEqual(map.score(1), 100)
    }

    func testShippedCalibrationIsMonotonicForEveryEngine() {
        let c = CompareCalibration.shipped
        for map in [c.sface, c.dlib, c.fused] {
            for (a, b) in zip(map.anchors, map.anchors.dropFirst()) {
                XCTAssertLessThan(a.raw, b.raw)
                XCTAssertLessThan(a.score, b.score)
            }
        }
    }

    /// The LFW protocol on the first 60 pairs of each fold: the evaluation code runs end to
    /// end on real embeddings and every method is accurate.
    func testLFWEvaluationOnASubsetOfPairs() async throws {
        var pairs = try LFWPairs(contentsOf: TestData.url("lfw/pairs.txt"))
        XCTAssertEqual(pairs.folds, 5)
        XCTAssertEqual(pairs.pairs.count, 3000)
        pairs.pairs = (0..<pairs.folds).flatMap { fold in
            let inFold = pairs.pairs.filter { $0.fold == fold }
            return Array(inFold.filter(\.same).prefix(30)) + Array(inFold.filter { !$0.same }.prefix(30))
        }
        let embeddings = try await FaceEmbeddings.compute(root: TestData.url("lfw/images"), images: pairs.images, pool: TestData.pool)
        let report = LFWEvaluation(pairs: pairs, embeddings: embeddings).run(machine: .current())
        for result in report.results {
            print("LFW subset \(result.method): \(result.accuracyMean)")
            XCTAssertGreaterThan(result.accuracyMean, 0.93, "\(result.method)")
        }
    }
}
