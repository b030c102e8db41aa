/// An action a liveness challenge can ask for. "Left" and "right" are the user's own
/// (turning to their left shows the camera their right cheek).
public enum LivenessAction: String, Codable, Sendable, CaseIterable {
    case blink
    case openMouth = "open_mouth"
    case nod
    case shakeHead = "shake_head"
    case turnLeft = "turn_left"
    case turnRight = "turn_right"
}

/// What the page tells the user about the current frame. The page shows each as text in
/// the user's language plus an icon; the server sends only the code.
public enum LivenessHint: String, Codable, Sendable, CaseIterable {
    case noFace = "no_face"
    case severalFaces = "several_faces"
    case tooFar = "too_far"
    case tooClose = "too_close"
    case offCentre = "off_centre"
    case tooDark = "too_dark"
    case tooBright = "too_bright"
    case blurred
    case occluded
    case faceChanged = "face_changed"
    case holdStill = "hold_still"
}

/// An action the analysis saw, with when it began and ended (seconds since the session's
/// first frame).
public struct DetectedAction: Codable, Sendable, Equatable {
    public var action: LivenessAction
    public var startedAt: Double
    public var completedAt: Double

    public init(action: LivenessAction, startedAt: Double, completedAt: Double) {
        self.action = action
        self.startedAt = startedAt
        self.completedAt = completedAt
    }
}
