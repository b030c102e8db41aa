import FaceIndex
import XCTest

final class ExactIndexTests: XCTestCase {
    func checkAgainstBruteForce(_ faces: [IndexedFace], queries: [[Float]], file: StaticString = #filePath, line: UInt = #line) throws {
        let index = ExactIndex()
        try index.bulkLoad(faces)
        XCTAssertEqual(index.count, faces.count, file: file, line: line)
        for query in queries {
            let expected = TestVectors.bruteForce(query, faces, k: 1)[0]
            let hit = try XCTUnwrap(index.search(query, k: 1).first, file: file, line: line)
            XCTAssertEqual(hit.faceID, expected.faceID, "top-1 differs from float32 brute force", file: file, line: line)
            XCTAssertEqual(hit.similarity, expected.similarity, accuracy: 1e-5, "re-ranked similarity is not the float32 one",
                           file: file, line: line)
        }
    }

    func testTopOneMatchesFloatBruteForceOnRandomVectors() throws {
        var vectors = TestVectors(seed: 1)
        let faces = vectors.randomFaces(20_000)
        let queries = (0..<20).map { $0 % 2 == 0 ? vectors.randomUnit() : vectors.perturb(faces[$0 * 97].vector, sigma: 0.05) }
        try checkAgainstBruteForce(faces, queries: queries)
    }

    func testTopOneMatchesFloatBruteForceOnClusteredVectors() throws {
        var vectors = TestVectors(seed: 2)
        let faces = vectors.clusteredFaces(identities: 4_000, perIdentity: 5)
        let queries = (0..<20).map { $0 % 2 == 0 ? vectors.perturb(faces[$0 * 211].vector, sigma: 0.09)
                                                 : vectors.perturb(faces[$0 * 89].vector, sigma: 0.03) }
        try checkAgainstBruteForce(faces, queries: queries)
    }

    func testTopKIsOrderedAndMatchesBruteForce() throws {
        var vectors = TestVectors(seed: 3)
        let faces = vectors.clusteredFaces(identities: 500, perIdentity: 4)
        let index = ExactIndex()
        try index.add(contentsOf: faces)
        for number in 0..<10 {
            let query = vectors.perturb(faces[number * 37].vector, sigma: 0.06)
            let hits = try index.search(query, k: 20)
            XCTAssertEqual(hits.count, 20)
            XCTAssertEqual(Set(hits.map(\.faceID)).count, 20, "duplicate faces in the results")
            for (a, b) in zip(hits, hits.dropFirst()) { XCTAssertGreaterThanOrEqual(a.similarity, b.similarity) }
            let expected = TestVectors.bruteForce(query, faces, k: 20)
            for (hit, truth) in zip(hits, expected) { XCTAssertEqual(hit.similarity, truth.similarity, accuracy: 1e-5) }
            XCTAssertEqual(hits.map(\.faceID), expected.map(\.faceID))
        }
    }

    func testPersonIDsComeBack() throws {
        var vectors = TestVectors(seed: 4)
        let faces = vectors.randomFaces(100)
        let index = ExactIndex()
        try index.add(contentsOf: faces)
        let hit = try XCTUnwrap(index.search(faces[42].vector, k: 1).first)
        XCTAssertEqual(hit.faceID, faces[42].faceID)
        XCTAssertEqual(hit.personID, faces[42].personID)
        XCTAssertEqual(hit.similarity, 1, accuracy: 1e-5)
    }

    func testRemoval() throws {
        var vectors = TestVectors(seed: 5)
        let faces = vectors.randomFaces(3_000)
        let index = ExactIndex()
        try index.add(contentsOf: faces)
        let removed = Set(faces.indices.filter { $0 % 3 == 0 })
        for number in removed { XCTAssertTrue(index.remove(faceID: faces[number].faceID)) }
        XCTAssertFalse(index.remove(faceID: faces[0].faceID), "removing twice")
        XCTAssertFalse(index.remove(faceID: UUID()))
        XCTAssertEqual(index.count, faces.count - removed.count)
        for (number, face) in faces.enumerated() {
            XCTAssertEqual(index.contains(faceID: face.faceID), !removed.contains(number))
            let hit = try XCTUnwrap(index.search(face.vector, k: 1).first)
            if removed.contains(number) {
                XCTAssertNotEqual(hit.faceID, face.faceID, "a removed face was found")
            } else {
                XCTAssertEqual(hit.faceID, face.faceID, "a kept face is no longer its own best match")
            }
        }
        // Removed faces can come back.
        try index.add(faces[0])
        XCTAssertEqual(try index.search(faces[0].vector, k: 1).first?.faceID, faces[0].faceID)
    }

    func testAddingTheSameFaceIDReplacesIt() throws {
        var vectors = TestVectors(seed: 6)
        let index = ExactIndex()
        var face = vectors.randomFaces(1)[0]
        try index.add(face)
        let old = face.vector
        face.vector = vectors.randomUnit()
        try index.add(face)
        XCTAssertEqual(index.count, 1)
        XCTAssertEqual(try index.search(face.vector, k: 1).first?.similarity ?? 0, 1, accuracy: 1e-5)
        XCTAssertLessThan(try index.search(old, k: 1).first?.similarity ?? 1, 0.5)
    }

    func testEmptyIndexAndKLargerThanCount() throws {
        var vectors = TestVectors(seed: 7)
        let index = ExactIndex()
        XCTAssertEqual(index.count, 0)
        XCTAssertEqual(try index.search(vectors.randomUnit(), k: 5), [])
        XCTAssertFalse(index.remove(faceID: UUID()))
        let faces = vectors.randomFaces(3)
        try index.add(contentsOf: faces)
        let hits = try index.search(vectors.randomUnit(), k: 10)
        XCTAssertEqual(Set(hits.map(\.faceID)), Set(faces.map(\.faceID)))
        XCTAssertEqual(try index.search(vectors.randomUnit(), k: 0), [])
    }

    func testWrongDimensionIsRefusedWithAnError() throws {
        let index = ExactIndex()
        let short = IndexedFace(faceID: UUID(), personID: UUID(), vector: [Float](repeating: 0.1, count: 127))
        XCTAssertThrowsError(try index.add(short)) { error in
            XCTAssertEqual(error as? FaceIndexError, .wrongDimension(expected: 128, got: 127))
        }
        XCTAssertThrowsError(try index.search([Float](repeating: 0.1, count: 512), k: 1)) { error in
            XCTAssertEqual(error as? FaceIndexError, .wrongDimension(expected: 128, got: 512))
        }
        XCTAssertThrowsError(try index.bulkLoad([short]))
        XCTAssertThrowsError(try index.add(IndexedFace(faceID: UUID(), personID: UUID(), vector: [Float](repeating: 0, count: 128)))) { error in
            XCTAssertEqual(error as? FaceIndexError, .invalidVector)
        }
        XCTAssertEqual(index.count, 0)
        XCTAssertTrue("\(FaceIndexError.wrongDimension(expected: 128, got: 127))".contains("127"))
    }

    func testManyRandomAddsAndRemovesKeepEveryFaceFindable() throws {
        var vectors = TestVectors(seed: 8)
        var random = TestRandom(seed: 9)
        let index = ExactIndex()
        var present: [UUID: IndexedFace] = [:]
        for _ in 0..<20_000 {
            if present.isEmpty || random.next() % 3 != 0 {
                let face = vectors.randomFaces(1)[0]
                try index.add(face)
                present[face.faceID] = face
            } else {
                let id = present.keys.randomElement(using: &random)!
                XCTAssertTrue(index.remove(faceID: id))
                present[id] = nil
            }
        }
        XCTAssertEqual(index.count, present.count)
        for face in present.values.prefix(500) {
            XCTAssertTrue(index.contains(faceID: face.faceID))
            XCTAssertEqual(try index.search(face.vector, k: 1).first?.faceID, face.faceID)
        }
    }
}
