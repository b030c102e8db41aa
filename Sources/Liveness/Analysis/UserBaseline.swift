/// One usable frame reduced to what the action detectors read.
struct PoseSample: Sendable {
    var time: Double
    var yaw: Float
    var pitch: Float
    var eyes: Float
    var mouth: Float
}

/// The same frame measured against the user's own baseline: degrees away from their
/// neutral head pose, eye openness as a share of their own open eyes (1 = as usual), and
/// mouth opening above their own resting mouth.
struct Motion: Sendable {
    var time: Double
    var yaw: Float
    var pitch: Float
    var eyes: Float
    var mouth: Float
}

/// The user's own neutral face, from their recent usable frames: people differ a lot in
/// how open their eyes are (0.2-0.35) and in how they hold the phone (neutral yaw and
/// pitch of 10-15 degrees are common), so fixed thresholds alone would fail some users and
/// be lax with others.
///
/// Medians and percentiles over a window of several seconds: an action lasts about a
/// second, so it barely moves them, while a user who shifts the phone gets a new neutral
/// within a few seconds.
struct UserBaseline: Sendable {
    let window: Double
    private(set) var samples: [PoseSample] = []

    init(window: Double) { self.window = window }

    mutating func add(_ sample: PoseSample) {
        samples.append(sample)
        let oldest = sample.time - window
        if let keep = samples.firstIndex(where: { $0.time >= oldest }), keep > 0 { samples.removeFirst(keep) }
    }

    var isEmpty: Bool { samples.isEmpty }

    var neutralYaw: Float { Self.percentile(samples.map(\.yaw), 0.5) }
    var neutralPitch: Float { Self.percentile(samples.map(\.pitch), 0.5) }
    /// Eyes are open most of the time, so a high percentile is the user's open eye even
    /// when they blink often; a floor keeps a long closure from becoming "open".
    var eyesOpen: Float { max(Self.percentile(samples.map(\.eyes), 0.75), 0.08) }
    /// Mouths rest closed (or nearly) most of the time.
    var mouthRest: Float { Self.percentile(samples.map(\.mouth), 0.25) }

    func relative(_ sample: PoseSample) -> Motion {
        Motion(time: sample.time, yaw: sample.yaw - neutralYaw, pitch: sample.pitch - neutralPitch,
               eyes: sample.eyes / eyesOpen, mouth: sample.mouth - mouthRest)
    }

    static func percentile(_ values: [Float], _ share: Float) -> Float {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let position = share * Float(sorted.count - 1)
        let low = Int(position.rounded(.down)), high = min(low + 1, sorted.count - 1)
        let fraction = position - Float(low)
        return sorted[low] * (1 - fraction) + sorted[high] * fraction
    }
}
