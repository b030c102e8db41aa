/// How a unit vector is stored: 16-bit fixed point with a per-vector scale, kept as two
/// byte planes.
///
/// `x[i] ≈ scale * (code[i] + residual[i] / 256)` with `scale = max|x| / 127`.
/// The high plane (`code`, int8) is what searches scan: 128 bytes a face, read with SIMD.
/// The low plane (`residual`, int8) is read only for the few best candidates, to recompute
/// their similarity in float32 with an error near 1e-6 (16-bit precision, better than
/// float16's 11 bits, at 256 bytes a face instead of 512 for float32).
///
/// A per-vector scale rather than one global scale: components of unit vectors vary in
/// range from face to face (max |x| from 0.18 to 0.47, median 0.25, over 3 811 LFW SFace
/// embeddings), so a global scale wastes about a bit of the 8 on most faces. Measured on
/// those embeddings, the int8 similarity error is 0.00058 rms (0.0017 max) with a
/// per-vector scale against 0.00106 (0.0033) with a global one. It costs 4 bytes and one
/// multiply a face.
enum VectorCodec {
    static let dimension = FaceVector.dimension

    /// Quantises `vector` (unit length, `dimension` floats); returns the scale.
    @inline(__always)
    static func encode(_ vector: UnsafePointer<Float>, code: UnsafeMutablePointer<Int8>,
                       residual: UnsafeMutablePointer<Int8>) -> Float {
        var largest: Float = 0
        for i in 0..<dimension { largest = max(largest, abs(vector[i])) }
        let scale = largest / 127
        let inverse = 1 / scale
        for i in 0..<dimension {
            let units = min(127, max(-127, vector[i] * inverse))
            let high = units.rounded()
            let low = min(127, max(-127, ((units - high) * 256).rounded()))
            code[i] = Int8(high)
            residual[i] = Int8(low)
        }
        return scale
    }

    /// The stored vector back in float32.
    @inline(__always)
    static func decode(code: UnsafePointer<Int8>, residual: UnsafePointer<Int8>, scale: Float,
                       into vector: UnsafeMutablePointer<Float>) {
        for i in 0..<dimension {
            vector[i] = scale * (Float(code[i]) + Float(residual[i]) * (1 / 256))
        }
    }
}

/// A query prepared for the scan kernels: int16 for the int8 dot products (pmaddwd), and
/// the float32 unit vector for re-ranking.
struct EncodedQuery: ~Copyable {
    let fixed: UnsafeMutablePointer<Int16>
    let float: UnsafeMutablePointer<Float>
    /// Multiplies a scan score (int dot times the stored scale) into a cosine estimate.
    let scoreToSimilarity: Float

    /// `unit` must be `dimension` long and normalised.
    init(unit: [Float]) {
        let dimension = FaceVector.dimension
        fixed = .allocate(capacity: dimension)
        float = .allocate(capacity: dimension)
        var largest: Float = 0
        for value in unit { largest = max(largest, abs(value)) }
        // Products stay below 2^31 in int32: 127 * 32767 * 128 < 2^29.
        let factor = 32767 / largest
        scoreToSimilarity = 1 / factor
        for i in 0..<dimension {
            float[i] = unit[i]
            fixed[i] = Int16(min(32767, max(-32767, (unit[i] * factor).rounded())))
        }
    }

    deinit {
        fixed.deallocate()
        float.deallocate()
    }
}
