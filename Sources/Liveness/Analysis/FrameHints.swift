import FaceServices

extension FrameSignals {
    /// Faces at least `share` of the largest face's width: the people in front of the
    /// camera, not a poster or a passer-by far behind.
    func significantFaces(share: Float) -> Int {
        guard let largest = boxes.first ?? box else { return 0 }
        return max(1, boxes.filter { $0.width >= share * largest.width }.count)
    }
}

/// The hints one frame earns on its own (framing, light, sharpness, movement). Identity
/// hints come from the tracker, which knows the user.
enum FrameHints {
    static func of(_ signals: FrameSignals, previous: (signals: FrameSignals, time: Double)?, at time: Double,
                   rules: ChallengeRules) -> [LivenessHint] {
        let r = rules.hints
        guard let box = signals.box else {
            return [.noFace] + light(signals.brightness, r)
        }
        var hints: [LivenessHint] = []
        if signals.significantFaces(share: rules.otherFaceSize) > 1 { hints.append(.severalFaces) }
        hints += light(signals.brightness, r)
        let side = Float(min(signals.imageWidth, signals.imageHeight))
        let width = Float(signals.imageWidth), height = Float(signals.imageHeight)
        let outside = box.x < -0.1 * box.width || box.y < -0.1 * box.height
            || box.x + box.width > width + 0.1 * box.width || box.y + box.height > height + 0.1 * box.height
        if box.width < r.tooFar * side {
            hints.append(.tooFar)
        } else if box.width > r.tooClose * side || (outside && box.width > 0.5 * side) {
            hints.append(.tooClose)
        } else if outside || abs(box.x + box.width / 2 - width / 2) > r.offCentreX * width
                    || abs(box.y + box.height / 2 - height / 2) > r.offCentreY * height {
            hints.append(.offCentre)
        }
        if let presence = signals.meshPresence, presence < r.occluded { hints.append(.occluded) }
        if let sharpness = signals.sharpness, sharpness < r.blurred { hints.append(.blurred) }
        if let previous, let before = previous.signals.box, time > previous.time {
            let dx = (box.x + box.width / 2) - (before.x + before.width / 2)
            let dy = (box.y + box.height / 2) - (before.y + before.height / 2)
            let speed = (dx * dx + dy * dy).squareRoot() / max(box.width, 1) / Float(time - previous.time)
            if speed > r.holdStill { hints.append(.holdStill) }
        }
        return hints
    }

    static func light(_ brightness: Float, _ r: HintRules) -> [LivenessHint] {
        if brightness < r.tooDark { return [.tooDark] }
        if brightness > r.tooBright { return [.tooBright] }
        return []
    }
}
