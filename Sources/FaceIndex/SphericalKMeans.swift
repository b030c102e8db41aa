import Dispatch

/// k-means on unit vectors with the dot product as similarity (centroids renormalised
/// after each update), the usual choice for cosine search. Assignment, the costly step,
/// runs on `threads` threads.
enum SphericalKMeans {
    static let dimension = FaceVector.dimension

    /// `k` unit centroids (k × dimension floats) for `count` unit points; fewer when
    /// there are fewer points than k.
    static func centroids(of points: UnsafePointer<Float>, count: Int, k: Int, iterations: Int, threads: Int,
                          generator: inout some RandomNumberGenerator) -> [Float] {
        let d = dimension
        let k = min(k, count)
        guard k > 0 else { return [] }
        var centroids = [Float](repeating: 0, count: k * d)
        // Seeds: k distinct points at random.
        var order = Array(0..<count)
        for i in 0..<k {
            order.swapAt(i, Int.random(in: i..<count, using: &generator))
            for j in 0..<d { centroids[i * d + j] = points[order[i] * d + j] }
        }
        guard k < count else { return centroids }
        let assignment = UnsafeMutablePointer<Int32>.allocate(capacity: count)
        defer { assignment.deallocate() }
        var sums = [Float](repeating: 0, count: k * d)
        var members = [Int](repeating: 0, count: k)
        for _ in 0..<iterations {
            centroids.withUnsafeBufferPointer { c in
                assign(points, count: count, to: c.baseAddress!, k: k, threads: threads, into: assignment)
            }
            for i in 0..<sums.count { sums[i] = 0 }
            for i in 0..<k { members[i] = 0 }
            for p in 0..<count {
                let cell = Int(assignment[p])
                members[cell] += 1
                for j in 0..<d { sums[cell * d + j] += points[p * d + j] }
            }
            for cell in 0..<k {
                var norm: Float = 0
                for j in 0..<d { norm += sums[cell * d + j] * sums[cell * d + j] }
                if members[cell] == 0 || norm == 0 {
                    // An empty cell takes a random point, so no list stays empty forever.
                    let p = Int.random(in: 0..<count, using: &generator)
                    for j in 0..<d { centroids[cell * d + j] = points[p * d + j] }
                } else {
                    let inverse = 1 / norm.squareRoot()
                    for j in 0..<d { centroids[cell * d + j] = sums[cell * d + j] * inverse }
                }
            }
        }
        return centroids
    }

    /// The most similar centroid of each point.
    static func assign(_ points: UnsafePointer<Float>, count: Int, to centroids: UnsafePointer<Float>, k: Int,
                       threads: Int, into assignment: UnsafeMutablePointer<Int32>) {
        let threads = max(1, min(threads, count / 256))
        parallelRanges(count: count, threads: threads) { range in
            for p in range {
                assignment[p] = Int32(nearest(points + p * dimension, centroids: centroids, k: k).index)
            }
        }
    }

    static func nearest(_ point: UnsafePointer<Float>, centroids: UnsafePointer<Float>, k: Int) -> (index: Int, similarity: Float) {
        DotKernels.nearest(point, among: centroids, range: 0..<k)
    }

    /// Runs `body` on `threads` contiguous slices of `0..<count`, in parallel.
    static func parallelRanges(count: Int, threads: Int, _ body: (Range<Int>) -> Void) {
        let threads = max(1, min(threads, count))
        if threads == 1 { body(0..<count); return }
        let step = (count + threads - 1) / threads
        // The slices are disjoint and `body` writes only to its own slice's results,
        // so handing it to other threads is safe although the compiler cannot see it.
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: threads) { t in
                let start = t * step
                if start < count { shared.value(start..<min(count, start + step)) }
            }
        }
    }
}

/// A value passed to other threads under a guarantee the compiler cannot check (see the
/// call site's comment).
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
