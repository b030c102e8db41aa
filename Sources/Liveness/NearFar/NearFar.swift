/// The near-far (远近) request of one attempt: which way the user moves the phone, and the
/// page's timing. The page shows the start position for `holdFor` seconds from its first
/// frame, then asks for the move for `moveFor` seconds, then for a blink.
public struct NearFar: Codable, Sendable, Equatable {
    public enum Direction: String, Codable, Sendable, CaseIterable {
        case farToNear = "far_to_near"
        case nearToFar = "near_to_far"
    }

    public var direction: Direction
    public var holdFor: Double
    public var moveFor: Double

    public init(direction: Direction, holdFor: Double = 2.5, moveFor: Double = 3) {
        self.direction = direction
        self.holdFor = holdFor
        self.moveFor = moveFor
    }

    /// Seconds from the first frame after which the move is judged.
    public var judgedAfter: Double { holdFor + moveFor + 1 }

    public static func draw() -> NearFar {
        NearFar(direction: Direction.allCases.randomElement()!)
    }
}
