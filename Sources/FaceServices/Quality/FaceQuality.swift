import Foundation

/// Image quality of one face, each part 0-100 (higher is better).
public struct FaceQuality: Sendable, Equatable, Codable {
    public var overall: Float
    public var sharpness: Float
    public var brightness: Float
    public var size: Float
    public var pose: Float
    public var completeness: Float

    /// Raw measurements behind the scores, for records and tuning.
    public var meanLuminance: Float
    public var estimatedYaw: Float
    public var estimatedPitch: Float

    public init(overall: Float, sharpness: Float, brightness: Float, size: Float, pose: Float, completeness: Float,
                meanLuminance: Float, estimatedYaw: Float, estimatedPitch: Float) {
        self.overall = overall; self.sharpness = sharpness; self.brightness = brightness; self.size = size
        self.pose = pose; self.completeness = completeness
        self.meanLuminance = meanLuminance; self.estimatedYaw = estimatedYaw; self.estimatedPitch = estimatedPitch
    }
}

/// Turns a face's measurements into `FaceQuality`.
public enum QualityAssessor {
    public static func assess(_ image: DecodedImage, face: Face) -> FaceQuality {
        let signals = FaceMeasurements.signals(image, face: face)
        let sharpness = 100 * (1 - exp(-signals.sharpness / 150))
        let brightness = brightnessScore(signals.brightness)
        let side = min(face.box.width, face.box.height)
        let size = min(100, max(0, (side - 24) / (112 - 24) * 100))
        let (yaw, pitch) = poseFromKeyPoints(face)
        let pose = max(0, 100 - 1.6 * max(abs(yaw) - 10, 0) - 2 * max(abs(pitch) - 10, 0))
        let completeness = 100 * signals.completeness
        let parts = [sharpness, brightness, size, pose, completeness]
        // The worst part dominates: one blurred or cut-off face is not saved by good lighting.
        let overall = 0.6 * parts.min()! + 0.4 * parts.reduce(0, +) / Float(parts.count)
        return FaceQuality(
            overall: overall, sharpness: sharpness, brightness: brightness, size: size, pose: pose,
            completeness: completeness, meanLuminance: signals.brightness, estimatedYaw: yaw, estimatedPitch: pitch)
    }

    static func brightnessScore(_ luminance: Float) -> Float {
        switch luminance {
        case ..<30: 0
        case ..<80: (luminance - 30) / 50 * 100
        case ...190: 100
        case ..<245: (245 - luminance) / 55 * 100
        default: 0
        }
    }

    /// A cheap yaw and pitch estimate from the five key points (degrees), so quality does
    /// not need the mesh: the nose moves off the eye-mouth centre line as the head turns.
    static func poseFromKeyPoints(_ face: Face) -> (yaw: Float, pitch: Float) {
        guard face.keyPoints.count == 5 else { return (0, 0) }
        let p = face.keyPoints
        let eyeMid = Point(x: (p[0].x + p[1].x) / 2, y: (p[0].y + p[1].y) / 2)
        let mouthMid = Point(x: (p[3].x + p[4].x) / 2, y: (p[3].y + p[4].y) / 2)
        let eyeDistance = max(hypot(p[1].x - p[0].x, p[1].y - p[0].y), 1)
        let centreX = (eyeMid.x + mouthMid.x) / 2
        let yawRatio = (p[2].x - centreX) / eyeDistance
        let faceHeight = max(mouthMid.y - eyeMid.y, 1)
        // On a frontal face the nose tip sits about 55% of the way from eyes to mouth.
        let pitchRatio = (p[2].y - eyeMid.y) / faceHeight - 0.55
        let yaw = asin(max(-1, min(1, yawRatio * 1.6))) * 180 / .pi
        let pitch = asin(max(-1, min(1, -pitchRatio * 2.2))) * 180 / .pi
        return (yaw, pitch)
    }
}
