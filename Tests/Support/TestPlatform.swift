import FaceServices
import Fluent
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
        }
        adjust(&settings)
        let app = try await Application.make(.testing)
        do {
            let platform = try Platform.setUp(app, settings: settings)
            if backend == .postgres {
                try await app.autoRevert()
                try await app.autoMigrate()
            }
            try await platform.prepareDatabase(app)
            guard let admin = try await platform.createFirstAdministrator(app) else {
                throw PlatformError.configuration("test database was not empty")
            }
            try configure(app, service: TestData.service, platform: platform)
            return TestPlatform(app: app, platform: platform, administrator: admin, dataDirectory: directory)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    public func shutdown() async throws {
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
    public static func headers(for credential: Credentials.Issued, path: String, body: Data, host: String = "localhost",
                               contentType: String = "application/json; charset=utf-8",
                               timestamp: Int = Int(Date().timeIntervalSince1970), action: String = "CompareFace") -> HTTPHeaders {
        let signature = TC3Signature(method: "POST", canonicalURI: path, canonicalQuery: "",
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
            let server = try await make(backend)
            do { try await body(server, backend) } catch {
                try await server.shutdown()
                throw error
            }
            try await server.shutdown()
        }
    }
}
