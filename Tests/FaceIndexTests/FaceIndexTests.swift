import FaceIndex
import XCTest

final class FaceIndexTests: XCTestCase {
    func testDefaultThresholdIsFiftyThousand() {
        XCTAssertEqual(FaceIndex().configuration.approximateThreshold, 50_000)
    }

    func testSwitchesToApproximateAboveTheThresholdAndBack() throws {
        var vectors = TestVectors(seed: 30)
        let index = FaceIndex(configuration: .init(approximateThreshold: 2_000))
        let faces = vectors.clusteredFaces(identities: 401, perIdentity: 5)
        for face in faces.prefix(2_000) { try index.add(face) }
        XCTAssertEqual(index.kind, .exact)
        try index.add(faces[2_000])
        XCTAssertEqual(index.kind, .approximate)
        XCTAssertEqual(index.count, 2_001)
        for number in stride(from: 0, to: 2_001, by: 97) {
            XCTAssertEqual(try index.search(faces[number].vector, k: 1).first?.faceID, faces[number].faceID)
        }
        // Back to exact only below half the threshold.
        for face in faces.prefix(1_001) { XCTAssertTrue(index.remove(faceID: face.faceID)) }
        XCTAssertEqual(index.kind, .approximate)
        XCTAssertTrue(index.remove(faceID: faces[1_001].faceID))
        XCTAssertEqual(index.kind, .exact)
        XCTAssertEqual(index.count, 999)
        XCTAssertEqual(try index.search(faces[1_500].vector, k: 1).first?.faceID, faces[1_500].faceID)
    }

    func testBulkLoadChoosesTheKindBySize() throws {
        var vectors = TestVectors(seed: 31)
        let small = FaceIndex(configuration: .init(approximateThreshold: 3_000))
        try small.bulkLoad(vectors.randomFaces(3_000))
        XCTAssertEqual(small.kind, .exact)
        let large = FaceIndex(configuration: .init(approximateThreshold: 3_000))
        var stages = Set<String>()
        try large.bulkLoad(vectors.randomFaces(3_001)) { stages.insert($0.stage.rawValue) }
        XCTAssertEqual(large.kind, .approximate)
        XCTAssertEqual(stages, ["loading", "training", "assigning"])
        XCTAssertGreaterThan(large.memoryBytes, 3_001 * 292)
    }

    func testEmptyIndexKLargerThanCountAndWrongDimension() throws {
        var vectors = TestVectors(seed: 32)
        let index = FaceIndex()
        XCTAssertEqual(try index.search(vectors.randomUnit(), k: 10), [])
        let faces = vectors.randomFaces(4)
        for face in faces { try index.add(face) }
        XCTAssertEqual(try index.search(vectors.randomUnit(), k: 100).count, 4)
        XCTAssertThrowsError(try index.add(IndexedFace(faceID: UUID(), personID: UUID(), vector: [Float](repeating: 1, count: 64)))) { error in
            XCTAssertEqual(error as? FaceIndexError, .wrongDimension(expected: 128, got: 64))
        }
        XCTAssertThrowsError(try index.search([Float](repeating: .nan, count: 128), k: 1)) { error in
            XCTAssertEqual(error as? FaceIndexError, .invalidVector)
        }
    }

    /// Readers search without pause while a writer adds and removes faces, and the index
    /// switches kind twice under them: no crash, and every answer is well formed.
    func testConcurrentReadersDuringWrites() throws {
        var vectors = TestVectors(seed: 33)
        let stable = vectors.randomFaces(500)
        let churn = vectors.randomFaces(1_500)
        let index = FaceIndex(configuration: .init(approximateThreshold: 1_200))
        try index.bulkLoad(stable)
        let stableIDs = Set(stable.map(\.faceID))
        let failures = Failures()

        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            if worker == 0 {
                for round in 0..<2 {
                    for face in churn { try? index.add(face) }
                    for face in churn where round == 0 || face.faceID.uuid.0 & 1 == 0 { index.remove(faceID: face.faceID) }
                }
                return
            }
            for number in 0..<300 {
                let face = stable[(number * 13 + worker) % stable.count]
                guard let hits = try? index.search(face.vector, k: 5) else { failures.add("search threw"); continue }
                if hits.isEmpty || hits.count > 5 { failures.add("\(hits.count) hits") }
                if zip(hits, hits.dropFirst()).contains(where: { $0.similarity < $1.similarity }) { failures.add("unordered") }
                // A stable face is always present, and searching with its own vector finds it.
                if hits.first?.faceID != face.faceID || !stableIDs.contains(face.faceID) {
                    failures.add("stable face not found first")
                }
            }
        }
        XCTAssertEqual(failures.all, [])
        let remaining = churn.filter { $0.faceID.uuid.0 & 1 == 1 }
        XCTAssertEqual(index.count, stable.count + remaining.count)
        XCTAssertEqual(index.kind, .approximate)
        for face in remaining.prefix(100) { XCTAssertTrue(index.contains(faceID: face.faceID)) }
    }
}

final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []
    func add(_ message: String) { lock.lock(); messages.append(message); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return Array(Set(messages)).sorted() }
}
