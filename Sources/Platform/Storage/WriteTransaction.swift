import Fluent
import SQLKit

extension Database {
    /// A transaction that takes SQLite's write lock when it begins (`BEGIN IMMEDIATE`).
    /// A plain (deferred) SQLite transaction that reads and then writes fails at once with
    /// "database is locked" when another connection writes in between, because waiting
    /// could deadlock; this one waits for its turn instead. On PostgreSQL it is an ordinary
    /// transaction. Use it for every transaction that reads before it writes.
    public func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard let sql = self as? any SQLDatabase, sql.dialect.name == "sqlite" else { return try await transaction(body) }
        return try await withConnection { connection in
            let raw = connection as! any SQLDatabase
            try await raw.raw("BEGIN IMMEDIATE").run()
            do {
                let result = try await body(connection)
                try await raw.raw("COMMIT").run()
                return result
            } catch {
                try? await raw.raw("ROLLBACK").run()
                throw error
            }
        }
    }
}
