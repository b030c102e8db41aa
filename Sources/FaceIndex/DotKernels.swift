/// The inner loops, kept in this one file so that they inline into each other even in
/// debug (non whole-module) builds, where calls across files are never inlined. All assume `FaceVector.dimension` (128) components.
///
/// Written with Swift SIMD types so they vectorise at the baseline x86-64 target (SSE2,
/// which is what SwiftPM builds for unless told otherwise): widening int8 codes and int16
/// query values to int32 and multiplying lowers to `pmaddwd`, 8 multiply-adds an
/// instruction. `addingProduct` is avoided on purpose: without FMA in the target it
/// becomes a libm call per lane, 50x slower.
enum DotKernels {
    /// int8 stored code · int16 query, exact in int32.
    @inline(__always)
    static func codeDot(_ code: UnsafeRawPointer, _ query: UnsafeRawPointer) -> Int32 {
        var sum = SIMD16<Int32>()
        for offset in stride(from: 0, to: 128, by: 16) {
            let stored = code.loadUnaligned(fromByteOffset: offset, as: SIMD16<Int8>.self)
            let asked = query.loadUnaligned(fromByteOffset: offset * 2, as: SIMD16<Int16>.self)
            sum &+= SIMD16<Int32>(truncatingIfNeeded: stored) &* SIMD16<Int32>(truncatingIfNeeded: asked)
        }
        return sum.wrappedSum()
    }

    /// float32 · float32.
    @inline(__always)
    static func floatDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>) -> Float {
        let a = UnsafeRawPointer(a), b = UnsafeRawPointer(b)
        var sum = SIMD16<Float>()
        for offset in stride(from: 0, to: 512, by: 64) {
            sum += a.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
                * b.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
        }
        return sum.sum()
    }

    /// The float32 similarity of a stored vector (both planes) with a float32 query:
    /// `scale * Σ q[i] * (code[i] + residual[i] / 256)`.
    @inline(__always)
    static func storedDot(code: UnsafeRawPointer, residual: UnsafeRawPointer, scale: Float,
                          query: UnsafePointer<Float>) -> Float {
        let query = UnsafeRawPointer(query)
        var high = SIMD16<Float>(), low = SIMD16<Float>()
        for offset in stride(from: 0, to: 128, by: 16) {
            let asked = query.loadUnaligned(fromByteOffset: offset * 4, as: SIMD16<Float>.self)
            let c = SIMD16<Float>(SIMD16<Int32>(truncatingIfNeeded: code.loadUnaligned(fromByteOffset: offset, as: SIMD16<Int8>.self)))
            let r = SIMD16<Float>(SIMD16<Int32>(truncatingIfNeeded: residual.loadUnaligned(fromByteOffset: offset, as: SIMD16<Int8>.self)))
            high += asked * c
            low += asked * r
        }
        return scale * (high.sum() + low.sum() * (1 / 256))
    }

    /// Scores `count` consecutive codes against the query with the int8 kernel and offers
    /// each score (int8 dot times the face's scale) to the heap; the references are
    /// `firstReference`, `firstReference + 1`, ...
    static func scan(codes: UnsafePointer<Int8>, scales: UnsafePointer<Float>, count: Int,
                     query: UnsafePointer<Int16>, firstReference: UInt64, into heap: inout CandidateHeap) {
        let codes = UnsafeRawPointer(codes), query = UnsafeRawPointer(query)
        var threshold = heap.threshold
        for offset in 0..<count {
            let score = Float(codeDot(codes + offset &* 128, query)) * scales[offset]
            if score > threshold {
                heap.offer(score, firstReference &+ UInt64(offset))
                threshold = heap.threshold
            }
        }
    }

    /// The index of the most similar of `count` float32 vectors, and its similarity.
    static func nearest(_ vector: UnsafePointer<Float>, among vectors: UnsafePointer<Float>,
                        range: Range<Int>) -> (index: Int, similarity: Float) {
        var best = range.lowerBound, bestSimilarity = -Float.infinity
        for index in range {
            let similarity = floatDot(vector, vectors + index &* 128)
            if similarity > bestSimilarity { best = index; bestSimilarity = similarity }
        }
        return (best, bestSimilarity)
    }

    /// The similarity of `vector` with each of `count` float32 vectors.
    static func similarities(_ vector: UnsafePointer<Float>, among vectors: UnsafePointer<Float>, count: Int,
                             into results: UnsafeMutablePointer<Float>) {
        for index in 0..<count { results[index] = floatDot(vector, vectors + index &* 128) }
    }
}
