/// What an uploaded liveness video must be: the page's fallback records 3-6 s, 1-3 MB.
public struct VideoLivenessLimits: Sendable, Equatable {
    /// As base64 it still fits the signed API's 16 MB body.
    public var maxBytes = 10 * 1024 * 1024
    /// Shorter videos are answered 1303 ("record more than 2 seconds").
    public var minSeconds = 2.0
    public var maxSeconds = 20.0
    /// The shorter side of the picture, in pixels.
    public var minSide = 240

    public init() {}
}
