import FaceIndex
import XCTest

final class ApproximateIndexTests: XCTestCase {
    func testRecallAtOneAgainstExactOnClusteredFaces() throws {
        var vectors = TestVectors(seed: 20)
        let faces = vectors.clusteredFaces(identities: 10_000, perIdentity: 5)
        let exact = ExactIndex(), approximate = ApproximateIndex()
        try exact.bulkLoad(faces)
        try approximate.bulkLoad(faces)
        XCTAssertEqual(approximate.count, faces.count)
        XCTAssertGreaterThan(approximate.listCount, 100)
        var agreed = 0
        let queries = 300
        for number in 0..<queries {
            // Another photo of an enrolled person: near one face, near its siblings too.
            let query = vectors.perturb(faces[(number * 7919) % faces.count].vector, sigma: 0.05)
            let truth = try exact.search(query, k: 1)[0]
            let found = try approximate.search(query, k: 1)[0]
            if found.faceID == truth.faceID { agreed += 1 }
            XCTAssertEqual(found.similarity, truth.similarity, accuracy: found.faceID == truth.faceID ? 1e-6 : 1)
        }
        let recall = Double(agreed) / Double(queries)
        XCTAssertGreaterThanOrEqual(recall, 0.99, "recall@1 against exact search")
    }

    func testProbingEveryListIsExact() throws {
        var vectors = TestVectors(seed: 21)
        let faces = vectors.randomFaces(5_000)
        let exact = ExactIndex(), approximate = ApproximateIndex()
        try exact.bulkLoad(faces)
        try approximate.bulkLoad(faces)
        for _ in 0..<20 {
            let query = vectors.randomUnit()
            XCTAssertEqual(try approximate.search(query, k: 5, probes: approximate.listCount).map(\.faceID),
                           try exact.search(query, k: 5).map(\.faceID))
        }
    }

    func testAddsRemovalsAndRetrainingAfterGrowth() throws {
        var vectors = TestVectors(seed: 22)
        let index = ApproximateIndex()
        let faces = vectors.clusteredFaces(identities: 1_000, perIdentity: 5)
        // One at a time: the index trains at 1 024 faces and retrains at 4 096.
        for face in faces { try index.add(face) }
        XCTAssertEqual(index.count, faces.count)
        XCTAssertGreaterThan(index.listCount, 1)
        for number in stride(from: 0, to: faces.count, by: 2) { XCTAssertTrue(index.remove(faceID: faces[number].faceID)) }
        XCTAssertEqual(index.count, faces.count / 2)
        for number in stride(from: 0, to: faces.count, by: 50) {
            let hit = try index.search(faces[number].vector, k: 1, probes: index.listCount).first
            if number % 2 == 0 { XCTAssertNotEqual(hit?.faceID, faces[number].faceID) } else { XCTAssertEqual(hit?.faceID, faces[number].faceID) }
        }
        index.rebuild()
        XCTAssertEqual(index.count, faces.count / 2)
        XCTAssertEqual(try index.search(faces[1].vector, k: 1).first?.faceID, faces[1].faceID)
    }

    func testEmptyAndWrongDimension() throws {
        let index = ApproximateIndex()
        var vectors = TestVectors(seed: 23)
        XCTAssertEqual(try index.search(vectors.randomUnit(), k: 3), [])
        XCTAssertThrowsError(try index.search([1, 2, 3], k: 1)) { error in
            XCTAssertEqual(error as? FaceIndexError, .wrongDimension(expected: 128, got: 3))
        }
        XCTAssertThrowsError(try index.add(IndexedFace(faceID: UUID(), personID: UUID(), vector: [1])))
    }
}
