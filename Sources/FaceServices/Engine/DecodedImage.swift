import EngineBridge
import Foundation

/// A decoded 8-bit BGR image owned by the engine bridge. Immutable, so it may be shared
/// between threads; its pixels are freed when the last reference goes.
public final class DecodedImage: @unchecked Sendable {
    let handle: OpaquePointer
    public let width: Int
    public let height: Int

    private init(handle: OpaquePointer) {
        self.handle = handle
        width = Int(vf_image_width(handle))
        height = Int(vf_image_height(handle))
    }

    deinit { vf_image_free(handle) }

    /// Decodes JPEG, PNG, BMP, WebP or the first frame of a GIF, honouring EXIF orientation.
    public convenience init(bytes: Data, maxPixels: Int = ImageLimits.standard.maxPixels) throws {
        var handle: OpaquePointer?
        try bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws in
            guard let base = raw.bindMemory(to: UInt8.self).baseAddress else {
                throw EngineError.undecodableImage("empty image")
            }
            try bridged { vf_image_decode(base, raw.count, Int64(maxPixels), &handle, $0) }
        }
        self.init(handle: handle!)
    }

    /// Copies packed BGR pixels (e.g. a decoded video frame).
    public convenience init(bgr pixels: [UInt8], width: Int, height: Int) throws {
        guard pixels.count >= width * height * 3 else { throw EngineError.invalidArgument("pixel buffer too small") }
        var handle: OpaquePointer?
        let status = pixels.withUnsafeBufferPointer {
            vf_image_from_bgr($0.baseAddress, Int32(width), Int32(height), Int32(width * 3), &handle)
        }
        guard status == VF_OK, let handle else { throw EngineError.invalidArgument("bad pixel buffer") }
        self.init(handle: handle)
    }

    /// The image scaled to exactly `width` x `height`.
    public func resized(width: Int, height: Int) throws -> DecodedImage {
        var out: OpaquePointer?
        guard vf_image_resized(handle, Int32(width), Int32(height), &out) == VF_OK, let out else {
            throw EngineError.invalidArgument("cannot resize to \(width)x\(height)")
        }
        return DecodedImage(handle: out)
    }

    /// The image turned clockwise by `quarterTurns` x 90 degrees (negative: anticlockwise).
    public func rotated(quarterTurns: Int) throws -> DecodedImage {
        var out: OpaquePointer?
        guard vf_image_rotated(handle, Int32(quarterTurns), &out) == VF_OK, let out else {
            throw EngineError.engineFailure("cannot rotate")
        }
        return DecodedImage(handle: out)
    }

    public func jpeg(quality: Int = 90) throws -> Data {
        var bytes: UnsafeMutablePointer<UInt8>?
        var length = 0
        guard vf_image_encode_jpeg(handle, Int32(quality), &bytes, &length) == VF_OK, let bytes else {
            throw EngineError.engineFailure("JPEG encoding failed")
        }
        defer { vf_bytes_free(bytes) }
        return Data(bytes: bytes, count: length)
    }
}
