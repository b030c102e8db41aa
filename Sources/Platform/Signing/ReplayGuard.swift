import Foundation

/// Remembers every accepted signature until its timestamp leaves the acceptance window, so
/// the same signed request is accepted once.
/// Held in memory: with several nodes behind a load balancer a replay to another node within
/// the window is not caught here (the scale-out issue moves this to Redis).
public actor ReplayGuard {
    private var seen: [String: Int] = [:]
    private var lastSweep = 0
    let window: Int

    public init(window: Int) { self.window = window }

    /// True the first time a signature is presented.
    public func admit(signature: String, timestamp: Int, now: Int) -> Bool {
        if now - lastSweep > 30 {
            seen = seen.filter { $0.value + window >= now }
            lastSweep = now
        }
        if seen[signature] != nil { return false }
        seen[signature] = timestamp
        return true
    }
}
