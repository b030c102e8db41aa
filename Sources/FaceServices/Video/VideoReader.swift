import EngineBridge
import Foundation

/// One decoded frame of a video and when it was captured.
public struct VideoFrame: Sendable {
    /// Position in the stream, counting every decoded frame from 0.
    public var index: Int
    /// Seconds since the start of the stream (the container's timestamp).
    public var time: Double
    public var image: DecodedImage
}

/// Reads a video file frame by frame (OpenCV over FFmpeg), for the recorded-video
/// downgrade path and for replaying real clips in tests and benchmarks. Frames are decoded
/// one at a time, so a long clip never sits in memory whole.
///
/// Not thread-safe: one reader belongs to one task.
public final class VideoReader {
    private let handle: OpaquePointer
    public let path: String
    /// Frames per second the file declares (0 when it declares none).
    public let fps: Double
    /// Frames the file declares; an estimate for some containers, 0 when unknown.
    public let frameCount: Int
    public let width: Int
    public let height: Int
    private var nextIndex = 0
    private var pixels: [UInt8] = []
    private var nextSampleTime: Double = 0

    public init(path: String) throws {
        var handle: OpaquePointer?
        try path.withCString { cPath throws in
            try bridged { vf_video_open(cPath, &handle, $0) }
        }
        guard let handle else { throw EngineError.undecodableImage("cannot open video: \(path)") }
        self.handle = handle
        self.path = path
        fps = vf_video_fps(handle)
        frameCount = Int(vf_video_frame_count(handle))
        width = Int(vf_video_width(handle))
        height = Int(vf_video_height(handle))
    }

    deinit { vf_video_free(handle) }

    /// The next frame, or nil at the end of the stream.
    public func next() throws -> VideoFrame? {
        var raw: OpaquePointer?
        var milliseconds: Double = 0
        try bridged { vf_video_read(handle, &raw, &milliseconds, $0) }
        guard let raw else { return nil }
        defer { vf_image_free(raw) }
        // DecodedImage owns its own pixels, so the frame is copied once into it.
        let width = Int(vf_image_width(raw)), height = Int(vf_image_height(raw))
        let count = width * height * 3
        if pixels.count != count { pixels = [UInt8](repeating: 0, count: count) }
        let status = pixels.withUnsafeMutableBufferPointer { vf_image_copy_bgr(raw, $0.baseAddress, count) }
        guard status == VF_OK else { throw EngineError.engineFailure("cannot copy a video frame") }
        let image = try DecodedImage(bgr: pixels, width: width, height: height)
        let index = nextIndex
        nextIndex += 1
        let time = milliseconds > 0 || index == 0 ? milliseconds / 1000 : (fps > 0 ? Double(index) / fps : 0)
        return VideoFrame(index: index, time: time, image: image)
    }

    /// The next frame of a sampling at `rate` frames per second (e.g. a 30 fps clip replayed
    /// at the H5 page's 12 frames per second); the frames in between are decoded and dropped.
    public func next(sampledAt rate: Double) throws -> VideoFrame? {
        // Half a source frame of tolerance keeps the sampling even: 30 fps at 12 keeps every
        // 2nd or 3rd frame rather than every 3rd.
        let slack = fps > 0 ? 0.5 / fps : 0
        while let frame = try next() {
            guard frame.time >= nextSampleTime - slack else { continue }
            nextSampleTime = max(nextSampleTime + 1 / rate, frame.time)
            return frame
        }
        return nil
    }
}
