import Foundation

/// A fixed set of engines, each owned by one dedicated thread, shared by all requests.
///
/// dlib's networks are not thread-safe and every engine call blocks for milliseconds, so
/// the work runs on these threads rather than on Swift's cooperative pool; callers simply
/// `await` the result. Requests queue in arrival order when every worker is busy.
public final class EnginePool: Sendable {
    public let workerCount: Int
    public let options: EngineOptions
    private let queue: JobQueue

    /// Loads one engine per worker, then starts the workers.
    public init(options: EngineOptions, workers: Int) throws {
        precondition(workers > 0, "an engine pool needs at least one worker")
        // Parallelism comes from the workers; OpenCV's own threads would only contend.
        FaceMeasurements.setOpenCVThreads(1)
        setenv("OPENBLAS_NUM_THREADS", "1", 0)
        let engines = try (0..<workers).map { _ in try FaceEngine(options: options) }
        self.workerCount = workers
        self.options = options
        self.queue = JobQueue()
        for (index, engine) in engines.enumerated() {
            // Each engine is handed to exactly one thread and never touched elsewhere.
            nonisolated(unsafe) let owned = engine
            let thread = Thread { [queue] in
                while let job = queue.next() { job(owned) }
            }
            thread.name = "face-engine-\(index)"
            thread.stackSize = 8 << 20 // dlib's networks recurse through deep templates
            thread.start()
        }
    }

    deinit { queue.close() }

    /// Runs `body` on a free engine and returns its result.
    public func run<T: Sendable>(_ body: @escaping @Sendable (FaceEngine) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let accepted = queue.submit { engine in
                continuation.resume(with: Result { try body(engine) })
            }
            if !accepted { continuation.resume(throwing: EngineError.engineFailure("engine pool is shut down")) }
        }
    }

    /// Stops the workers once the queued work is done.
    public func shutdown() { queue.close() }
}

/// The workers' shared FIFO of jobs.
private final class JobQueue: @unchecked Sendable {
    typealias Job = (FaceEngine) -> Void
    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var head = 0
    private var closed = false

    func submit(_ job: @escaping Job) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    /// The next job, or nil once the queue is closed and drained.
    func next() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while head == jobs.count && !closed { condition.wait() }
        guard head < jobs.count else { return nil }
        let job = jobs[head]
        head += 1
        if head > 1024 && head * 2 > jobs.count { jobs.removeFirst(head); head = 0 }
        return job
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
