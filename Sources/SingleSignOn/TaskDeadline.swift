/// Runs `operation`, giving up with `onTimeout()` once `timeout` has passed.
///
/// The operation is cancelled rather than abandoned, so it must react to cancellation (NIO's
/// async channel streams do) or otherwise be bounded, as a connect timeout bounds a connect.
func withDeadline<Result: Sendable>(
    _ timeout: Duration,
    onTimeout: @escaping @Sendable () -> any Error,
    operation: @escaping @Sendable () async throws -> Result
) async throws -> Result {
    try await withThrowingTaskGroup(of: Result?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let result = first else { throw onTimeout() }
        return result
    }
}
