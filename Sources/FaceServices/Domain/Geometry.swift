/// A point in image pixels.
public struct Point: Sendable, Equatable, Codable {
    public var x: Float
    public var y: Float
    public init(x: Float, y: Float) { self.x = x; self.y = y }
}

/// An axis-aligned box in image pixels.
public struct Box: Sendable, Equatable, Codable {
    public var x: Float
    public var y: Float
    public var width: Float
    public var height: Float
    public init(x: Float, y: Float, width: Float, height: Float) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }

    public var area: Float { max(width, 0) * max(height, 0) }

    public func contains(_ point: Point) -> Bool {
        point.x >= x && point.x <= x + width && point.y >= y && point.y <= y + height
    }

    /// Intersection over union with another box.
    public func iou(_ other: Box) -> Float {
        let left = max(x, other.x), top = max(y, other.y)
        let right = min(x + width, other.x + other.width), bottom = min(y + height, other.y + other.height)
        let overlap = max(0, right - left) * max(0, bottom - top)
        let union = area + other.area - overlap
        return union > 0 ? overlap / union : 0
    }
}
