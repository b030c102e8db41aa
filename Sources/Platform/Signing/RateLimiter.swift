import Foundation

/// A token bucket per application: `qps` tokens a second, bursts up to `qps`.
public actor RateLimiter {
    private struct Bucket { var tokens: Double; var updated: Double }
    private var buckets: [UUID: Bucket] = [:]

    public init() {}

    public func admit(_ application: UUID, qps: Int, now: Double = ProcessInfo.processInfo.systemUptime) -> Bool {
        let capacity = Double(max(1, qps))
        var bucket = buckets[application] ?? Bucket(tokens: capacity, updated: now)
        bucket.tokens = min(capacity, bucket.tokens + (now - bucket.updated) * capacity)
        bucket.updated = now
        let admitted = bucket.tokens >= 1
        if admitted { bucket.tokens -= 1 }
        buckets[application] = bucket
        return admitted
    }
}
