import ArgumentParser
import Fluent
import Foundation
import Gallery
import Platform
import WebAPI
import Vapor

/// `veriface migrate [--revert]`: brings the database schema up to date (or steps back one batch).
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or update the database schema (needed once for PostgreSQL; SQLite migrates on start).")

    @ArgumentParser.OptionGroup var platform: PlatformArguments
    @ArgumentParser.Flag(help: "Revert the last batch of migrations.") var revert = false

    func run() async throws {
        let app = try await Application.make(Environment(name: "production", arguments: ["veriface"]))
        do {
            _ = try Platform.setUp(app, settings: try platform.settings(), moreMigrations: productMigrations)
            if revert {
                try await app.autoRevert()
                print("migrate: reverted the last batch")
            } else {
                try await app.migrator.setupIfNeeded().get()
                let pending = try await app.migrator.previewPrepareBatch().get()
                try await app.autoMigrate()
                print("migrate: \(pending.count) migrations applied")
            }
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
