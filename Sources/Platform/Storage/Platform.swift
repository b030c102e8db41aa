import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit
import SingleSignOn
import Vapor

/// The platform's state for one server process: database, data key, blob store, sign-in.
public struct Platform: Sendable {
    public let settings: PlatformSettings
    public let key: DataKey
    public let blobs: BlobStore
    public let signIn: SignIn
    public let oidc: OIDCClient?

    /// Opens the data folder and key, registers the database and migrations on `app`
    /// (the platform's, then `moreMigrations` of the capabilities built on it).
    public static func setUp(_ app: Application, settings: PlatformSettings, moreMigrations: [any Migration] = []) throws -> Platform {
        try FileManager.default.createDirectory(at: settings.dataDirectory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let key = try DataKey.loadOrCreate(in: settings.dataDirectory)
        switch settings.database {
        case .sqlite(let path):
            app.databases.use(.sqlite(.file(path), sqlLogLevel: .debug), as: .sqlite)
        case .sqliteInMemory:
            app.databases.use(.sqlite(.memory, sqlLogLevel: .debug), as: .sqlite)
        case .postgres(let url):
            app.databases.use(try .postgres(url: url, sqlLogLevel: .debug), as: .psql)
        }
        app.migrations.add(PlatformMigrations.all)
        app.migrations.add(moreMigrations)
        return Platform(settings: settings, key: key,
                        blobs: try BlobStore(directory: settings.dataDirectory.appendingPathComponent("blobs"), key: key),
                        signIn: SignIn(settings: settings),
                        oidc: settings.oidc.map { OIDCClient(settings: $0) })
    }

    /// The embedded default migrates itself; a shared PostgreSQL is migrated on purpose with
    /// `veriface migrate`, so several nodes never race to change the schema.
    public func prepareDatabase(_ app: Application) async throws {
        if case .sqlite = settings.database, let sql = app.db as? any SQLDatabase {
            // Write-ahead logging: readers no longer block the writer (and the other way
            // round), which matters with one connection per event loop. Kept in the file.
            try await sql.raw("PRAGMA journal_mode=WAL").run()
        }
        // Creates only Fluent's own bookkeeping table, so the pending list can be read.
        try await app.migrator.setupIfNeeded().get()
        let pending = try await app.migrator.previewPrepareBatch().get()
        guard !pending.isEmpty else { return }
        switch settings.database {
        case .sqlite, .sqliteInMemory:
            app.logger.info("migrating the database", metadata: ["migrations": "\(pending.count)"])
            try await app.autoMigrate()
        case .postgres:
            throw PlatformError.configuration("the PostgreSQL database needs \(pending.count) migrations: run `veriface migrate` once")
        }
    }

    /// Creates the root organisation and first administrator on a new database.
    public func createFirstAdministrator(_ app: Application) async throws -> FirstAdministrator.Created? {
        try await FirstAdministrator.createIfNeeded(on: app.db)
    }
}
