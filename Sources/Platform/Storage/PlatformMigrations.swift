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
        GrantVerificationRead(),
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

/// `verification.read` came after the first databases: their built-in roles get it as a
/// new database's would (Administrator, Operator, Auditor). A fresh database has no roles
/// yet when this runs; `FirstAdministrator` creates them with it.
struct GrantVerificationRead: AsyncMigration {
    func prepare(on database: any Database) async throws {
        for role in try await RoleModel.query(on: database).filter(\.$builtIn == true).all() {
            guard let builtIn = BuiltInRole(rawValue: role.name), builtIn.permissions.contains(.verificationRead),
                  !role.permissions.contains(.verificationRead) else { continue }
            role.permissions.append(.verificationRead)
            try await role.save(on: database)
        }
    }

    func revert(on database: any Database) async throws {
        for role in try await RoleModel.query(on: database).all() where role.permissions.contains(.verificationRead) {
            role.permissions.removeAll { $0 == .verificationRead }
            try await role.save(on: database)
        }
    }
}
