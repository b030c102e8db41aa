import Fluent
import SQLKit

/// Every schema change, in order. Each has a revert, so `veriface migrate --revert` can step back.
enum PlatformMigrations {
    static let all: [any Migration] = [
        CreateOrganisations(),
        CreateUsers(),
        CreateRoles(),
        CreateSessions(),
        CreateApplications(),
        CreateRecords(),
        CreateRecordIndexes(),
    ]
}

/// The logs are read newest first, filtered by organisation.
struct CreateRecordIndexes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX call_log_org_time ON call_log (organisation_id, time)").run()
        try await sql.raw("CREATE INDEX audit_log_org_time ON audit_log (organisation_id, time)").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX call_log_org_time").run()
        try await sql.raw("DROP INDEX audit_log_org_time").run()
    }
}
