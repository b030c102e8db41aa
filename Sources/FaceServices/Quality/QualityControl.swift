/// How strictly a service rejects poor faces (Tencent's `QualityControl` 0-4 maps onto it).
public enum QualityControl: String, Sendable, Codable, CaseIterable {
    case none, low, medium, high

    /// Tencent's numeric levels: 0 none, 1 low, 2 medium, 3 and 4 high.
    public init?(level: Int) {
        switch level {
        case 0: self = .none
        case 1: self = .low
        case 2: self = .medium
        case 3, 4: self = .high
        default: return nil
        }
    }

    struct Limits {
        var overall: Float, sharpness: Float, brightness: Float, size: Float, pose: Float, completeness: Float
    }

    var limits: Limits? {
        switch self {
        case .none: nil
        case .low: Limits(overall: 25, sharpness: 10, brightness: 10, size: 10, pose: 10, completeness: 60)
        case .medium: Limits(overall: 45, sharpness: 25, brightness: 30, size: 30, pose: 30, completeness: 80)
        case .high: Limits(overall: 65, sharpness: 45, brightness: 50, size: 50, pose: 50, completeness: 95)
        }
    }

    /// Why `quality` fails this level, or nil when it passes.
    public func rejection(of quality: FaceQuality) -> QualityRejection? {
        guard let limits else { return nil }
        if quality.completeness < limits.completeness { return .incomplete }
        if quality.brightness < limits.brightness { return quality.meanLuminance < 128 ? .tooDark : .tooBright }
        if quality.size < limits.size { return .tooSmall }
        if quality.sharpness < limits.sharpness { return .blurred }
        if quality.pose < limits.pose { return .poorPose }
        if quality.overall < limits.overall { return .lowOverall }
        return nil
    }
}

/// The first reason a face failed quality control.
public enum QualityRejection: String, Sendable, Equatable {
    case incomplete, tooDark, tooBright, tooSmall, blurred, poorPose, lowOverall
}
