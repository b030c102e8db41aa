import FaceServices
import Fluent
import Gallery
import Foundation
import Platform
import Vapor
import WebAPI

/// A whole server (face API, platform, console) on a fresh database, for tests.
/// SQLite in a temporary folder, or the PostgreSQL the test command started
/// (`VERIFACE_TEST_POSTGRES_URL`), wiped and migrated again for each test.
public struct TestPlatform: Sendable {
    public enum Backend: String, Sendable, CaseIterable { case sqlite, postgres }

    public let app: Application
    public let platform: Platform
    public let parts: ServerParts
    public let administrator: FirstAdministrator.Created
    public let dataDirectory: URL

    /// Every backend this run must cover. PostgreSQL is required: a run without it fails
    /// instead of passing quietly on SQLite alone (set VERIFACE_TEST_NO_POSTGRES=1 to opt out locally).
    public static var backends: [Backend] {
        get throws {
            let env = ProcessInfo.processInfo.environment
            if env["VERIFACE_TEST_POSTGRES_URL"] != nil { return [.sqlite, .postgres] }
            if env["VERIFACE_TEST_NO_POSTGRES"] == "1" { return [.sqlite] }
            throw PlatformError.configuration("VERIFACE_TEST_POSTGRES_URL is not set: run the tests with scripts/test, which starts PostgreSQL")
        }
    }

    public static func make(_ backend: Backend = .sqlite, settings adjust: (inout PlatformSettings) -> Void = { _ in }) async throws -> TestPlatform {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("veriface-test-\(UUID().uuidString)")
        var settings = PlatformSettings(dataDirectory: directory)
        if backend == .postgres {
            settings.database = .postgres(url: ProcessInfo.processInfo.environment["VERIFACE_TEST_POSTGRES_URL"] ?? "")
            try await resetSchema(settings)
        }
        adjust(&settings)
        let app = try await Application.make(.testing)
        do {
            let parts = try await prepare(app, settings: settings, service: TestData.service)
            guard let admin = parts.firstAdministrator else { throw PlatformError.configuration("test database was not empty") }
            try configure(app, service: TestData.service, parts: parts)
            return TestPlatform(app: app, platform: parts.platform, parts: parts, administrator: admin, dataDirectory: directory)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// Drops every table an earlier test left in the shared PostgreSQL and migrates again,
    /// as `veriface migrate` would.
    static func resetSchema(_ settings: PlatformSettings) async throws {
        let app = try await Application.make(.testing)
        do {
            _ = try Platform.setUp(app, settings: settings, moreMigrations: productMigrations)
            try await app.migrator.setupIfNeeded().get()
            try await app.autoRevert()
            try await app.autoMigrate()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    public func shutdown() async throws {
        // A server started by `listen()` is not stopped by the application's shutdown.
        await app.server.shutdown()
        try await app.asyncShutdown()
        try? FileManager.default.removeItem(at: dataDirectory)
    }

    public var rootOrganisation: OrganisationModel {
        get async throws {
            guard let root = try await OrganisationModel.query(on: app.db).filter(\.$parentID == nil).first() else {
                throw PlatformFailure.notFound("root")
            }
            return root
        }
    }

    /// An application with one credential in `organisation` (the root by default), made
    /// directly in the database so API tests do not depend on the console.
    public func application(in organisation: UUID? = nil, qps: Int = 1000, ipAllowList: [String] = []) async throws -> (ApplicationModel, Credentials.Issued) {
        var orgID = organisation
        if orgID == nil { orgID = try await rootOrganisation.requireID() }
        let application = ApplicationModel(organisationID: orgID!, name: "test-\(UUID().uuidString.prefix(8))", qpsLimit: qps, ipAllowList: ipAllowList)
        try await application.create(on: app.db)
        return (application, try await Credentials.issue(for: application, key: platform.key, on: app.db))
    }
}

/// Signs requests the way Tencent's SDKs do, for the Swift tests (the Python integration
/// test uses the official SDK signer to prove compatibility).
public enum TestSigner {
    public static func headers(for credential: Credentials.Issued, path: String, query: String = "", body: Data, host: String = "localhost",
                               contentType: String = "application/json; charset=utf-8",
                               timestamp: Int = Int(Date().timeIntervalSince1970), action: String = "CompareFace",
                               method: String = "POST") -> HTTPHeaders {
        let signature = TC3Signature(method: method, canonicalURI: path, canonicalQuery: query,
                                     headers: [("content-type", contentType), ("host", host)], payload: body,
                                     timestamp: timestamp, service: "iai")
        return HTTPHeaders([
            ("Authorization", signature.authorization(secretID: credential.secretId, secretKey: credential.secretKey)),
            ("Content-Type", contentType), ("Host", host), ("X-TC-Timestamp", String(timestamp)),
            ("X-TC-Action", action), ("X-TC-Version", "2020-03-03"),
        ])
    }
}

extension TestPlatform {
    /// Runs `body` on a fresh server for every backend of this run, shutting each down
    /// however `body` ends.
    public static func onEveryBackend(_ body: (TestPlatform, Backend) async throws -> Void) async throws {
        for backend in try backends {
            try await withServer(backend) { try await body($0, backend) }
        }
    }

    /// Runs `body` on a fresh server and shuts it down, awaited, however `body` ends (a
    /// shutdown left to a detached task can race the next test).
    public static func withServer(_ backend: Backend = .sqlite, _ body: (TestPlatform) async throws -> Void) async throws {
        try await (try await make(backend)).closing(body)
    }

    /// Runs `body`, then shuts this server down, awaited, however `body` ends.
    public func closing(_ body: (TestPlatform) async throws -> Void) async throws {
        do { try await body(self) } catch {
            try? await shutdown()
            throw error
        }
        try await shutdown()
    }
}

extension TestPlatform {
    /// A new server on the data folder (and SQLite database) of one that was shut down.
    public static func reopen(_ previous: TestPlatform) async throws -> TestPlatform {
        let app = try await Application.make(.testing)
        do {
            let parts = try await prepare(app, settings: previous.platform.settings, service: TestData.service)
            try configure(app, service: TestData.service, parts: parts)
            return TestPlatform(app: app, platform: parts.platform, parts: parts, administrator: previous.administrator,
                                dataDirectory: previous.dataDirectory)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}
