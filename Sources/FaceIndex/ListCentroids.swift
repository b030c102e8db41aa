/// The cells of the approximate index: `count` unit centroids, one per list, found by
/// two-level k-means so that training and assigning millions of faces stays cheap.
///
/// Level one splits a sample into about √count coarse cells; each coarse cell is split
/// again into fine cells in proportion to its size. A face goes to the nearest fine cell
/// among the two nearest coarse cells (about 3√count dot products instead of count);
/// a query probes the fine cells directly, by flat comparison with all of them.
struct ListCentroids: Sendable {
    static let dimension = FaceVector.dimension

    /// Fine centroids, ordered by coarse cell.
    private(set) var fine: [Float]
    private(set) var coarse: [Float]
    /// The fine cells of each coarse cell.
    private(set) var fineRanges: [Range<Int>]

    var count: Int { fine.count / Self.dimension }

    /// Trains about `cells` cells on `sampleCount` unit vectors.
    init(sample: UnsafePointer<Float>, sampleCount: Int, cells: Int, iterations: Int, threads: Int,
         generator: inout some RandomNumberGenerator) {
        let d = Self.dimension
        let coarseCount = max(1, Int(Double(cells).squareRoot().rounded()))
        coarse = SphericalKMeans.centroids(of: sample, count: sampleCount, k: coarseCount, iterations: iterations,
                                           threads: threads, generator: &generator)
        let coarseCells = coarse.count / d
        let assignment = UnsafeMutablePointer<Int32>.allocate(capacity: sampleCount)
        defer { assignment.deallocate() }
        coarse.withUnsafeBufferPointer {
            SphericalKMeans.assign(sample, count: sampleCount, to: $0.baseAddress!, k: coarseCells, threads: threads,
                                   into: assignment)
        }
        var members = [[Int]](repeating: [], count: coarseCells)
        for p in 0..<sampleCount { members[Int(assignment[p])].append(p) }
        fine = []
        fineRanges = []
        let gathered = UnsafeMutablePointer<Float>.allocate(capacity: max(1, sampleCount) * d)
        defer { gathered.deallocate() }
        for cell in 0..<coarseCells {
            let points = members[cell]
            let share = max(1, Int((Double(cells) * Double(points.count) / Double(max(1, sampleCount))).rounded()))
            for (i, p) in points.enumerated() { (gathered + i * d).update(from: sample + p * d, count: d) }
            var centroids = SphericalKMeans.centroids(of: gathered, count: points.count, k: share,
                                                      iterations: iterations, threads: threads, generator: &generator)
            if centroids.isEmpty { centroids = Array(coarse[(cell * d)..<((cell + 1) * d)]) }
            let start = fine.count / d
            fine += centroids
            fineRanges.append(start..<(fine.count / d))
        }
    }

    /// The list a stored vector belongs to.
    func list(for vector: UnsafePointer<Float>) -> Int {
        let d = Self.dimension
        return coarse.withUnsafeBufferPointer { coarse in
            fine.withUnsafeBufferPointer { fine in
                // The two nearest coarse cells.
                var first = (index: 0, similarity: -Float.infinity), second = first
                for cell in 0..<fineRanges.count {
                    let similarity = DotKernels.floatDot(vector, coarse.baseAddress! + cell * d)
                    if similarity > first.similarity { second = first; first = (cell, similarity) }
                    else if similarity > second.similarity { second = (cell, similarity) }
                }
                var best = (index: 0, similarity: -Float.infinity)
                for cell in [first.index, second.index] where cell < fineRanges.count {
                    let candidate = DotKernels.nearest(vector, among: fine.baseAddress!, range: fineRanges[cell])
                    if candidate.similarity > best.similarity { best = candidate }
                    if fineRanges.count == 1 { break }
                }
                return best.index
            }
        }
    }

    /// The `probes` lists whose centroids are most similar to the query, best first.
    func lists(toProbe query: UnsafePointer<Float>, probes: Int) -> [Int] {
        var heap = CandidateHeap(capacity: min(probes, count))
        let similarities = UnsafeMutablePointer<Float>.allocate(capacity: count)
        defer { similarities.deallocate() }
        fine.withUnsafeBufferPointer { DotKernels.similarities(query, among: $0.baseAddress!, count: count, into: similarities) }
        for list in 0..<count { heap.offer(similarities[list], UInt64(list)) }
        return heap.keptBestFirst.map { Int($0) }
    }
}
