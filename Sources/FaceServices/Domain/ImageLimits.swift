/// What the face services accept as an input image (SPEC section 2).
public struct ImageLimits: Sendable, Equatable {
    /// Largest encoded size in bytes.
    public var maxBytes: Int
    /// Smallest accepted width and height in pixels.
    public var minSide: Int
    /// Largest decoded canvas, so that a small file cannot claim a gigapixel canvas.
    public var maxPixels: Int

    public static let standard = ImageLimits(maxBytes: 5 * 1024 * 1024, minSide: 64, maxPixels: 40_000_000)
}
