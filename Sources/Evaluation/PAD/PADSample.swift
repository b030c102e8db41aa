import FaceServices
import Liveness

/// One presentation of `veriface eval pad`: a bona fide user or an attack, in one mode,
/// with the challenge the server drew for it.
public struct PADSample: Sendable {
    public enum Label: Sendable, Hashable, Codable {
        case bonaFide
        case attack(String)

        public var name: String {
            switch self {
            case .bonaFide: "bona fide"
            case .attack(let type): type
            }
        }
    }

    /// What is presented.
    public enum Presentation: Sendable {
        /// A video file replayed at the page's 12 frames a second through the session's
        /// analysis (`flashShown`: when the simulated page showed each colour, video seconds).
        case video(path: String, flashShown: [FlashStep])
        /// Near-far at the level of the face's proportions (a mesh projected as the phone
        /// moves, `MeshProjection`): the move alone is judged.
        case proportions([(time: Double, value: FaceProportions)])
        /// Frames that do not come from the page's session (another session's key, a replayed
        /// frame, a stale capture time): the frame gate's decision.
        case injected(InjectedStream)
    }

    public struct FlashStep: Sendable {
        public var step: Int
        public var time: Double
    }

    public enum InjectedStream: String, Sendable, CaseIterable {
        case otherSessionKey = "another session's key"
        case replayedFrame = "a replayed frame"
        case staleFrame = "a frame captured a minute ago"
    }

    public var name: String
    public var mode: SceneRules.Mode
    public var label: Label
    public var challenge: Challenge
    public var presentation: Presentation
}
