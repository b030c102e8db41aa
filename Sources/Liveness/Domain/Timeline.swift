/// What happened during a verification, in order: kept with the record and shown in the
/// console. Times are seconds since the attempt's first frame.
public struct Timeline: Codable, Sendable, Equatable {
    public struct Event: Codable, Sendable, Equatable {
        public var attempt: Int
        public var at: Double
        /// "hints", "action", "decision", "refused"
        public var kind: String
        public var detail: String
    }

    public var events: [Event] = []
    /// The actions recognised in the last attempt, in order.
    public var detected: [DetectedAction] = []

    public init() {}

    /// Hints are recorded only when they change, so a long "too far" is one event.
    public mutating func hints(_ hints: [LivenessHint], attempt: Int, at time: Double) {
        let detail = hints.map(\.rawValue).joined(separator: ",")
        if let last = events.last(where: { $0.kind == "hints" && $0.attempt == attempt }), last.detail == detail { return }
        if detail.isEmpty && !events.contains(where: { $0.kind == "hints" && $0.attempt == attempt }) { return }
        append(attempt: attempt, at: time, kind: "hints", detail: detail)
    }

    public mutating func append(attempt: Int, at time: Double, kind: String, detail: String) {
        // Bounded: a misbehaving page cannot grow a record without end.
        guard events.count < 2000 else { return }
        events.append(Event(attempt: attempt, at: (time * 1000).rounded() / 1000, kind: kind, detail: detail))
    }
}
