/// Smart mode (SPEC section 3): the least demanding challenge that the risk allows. No risk
/// signal: silent (look and blink; passive checks). One: an action challenge, which a
/// replayed video cannot know in advance. Two or more: the colour flash, which a screen
/// replay or an injected video cannot follow, where the scene streams (a recording carries
/// no display times) and the server sees blinks; an action challenge otherwise.
public enum SmartMode {
    public struct Choice: Sendable, Equatable {
        public var mode: SceneRules.Mode
        /// Why, for the record's timeline.
        public var reason: String
    }

    public static func choose(_ signals: RiskSignals, capture: SceneRules.Capture) -> Choice {
        let present = signals.present
        let reasons = present.isEmpty ? "no risk signal" : present.joined(separator: "; ")
        let mode: SceneRules.Mode
        switch present.count {
        case 0: mode = .silent
        case 1: mode = .action
        default: mode = capture == .stream ? .colourFlash : .action
        }
        return Choice(mode: mode, reason: "smart: \(mode.rawValue) (\(reasons))")
    }
}
