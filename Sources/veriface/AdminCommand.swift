import ArgumentParser
import Fluent
import Foundation
import Gallery
import Platform
import WebAPI
import Vapor

/// `veriface admin create`: the first administrator (root organisation and built-in roles
/// included) on a new database, or another administrator later.
struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage administrator accounts.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an administrator and print a one-time password.")

        @ArgumentParser.OptionGroup var platform: PlatformArguments
        @ArgumentParser.Option(help: "User name (only when the database already has users).") var username = "admin2"

        func run() async throws {
            let app = try await Application.make(Environment(name: "production", arguments: ["veriface"]))
            do {
                let platform = try Platform.setUp(app, settings: try self.platform.settings(), moreMigrations: productMigrations)
                try await platform.prepareDatabase(app)
                if let first = try await platform.createFirstAdministrator(app) {
                    print("first administrator: \(first.username)  one-time password: \(first.oneTimePassword)")
                } else {
                    let created = try await FirstAdministrator.createAdditional(username: username, on: app.db)
                    print("administrator: \(created.username)  one-time password: \(created.oneTimePassword)")
                }
            } catch {
                try? await app.asyncShutdown()
                throw error
            }
            try await app.asyncShutdown()
        }
    }
}
