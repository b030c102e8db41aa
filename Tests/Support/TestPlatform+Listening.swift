import Foundation
import Platform
import Vapor

extension TestPlatform {
    /// Serves on a real loopback port (WebSockets and browsers need one); returns the port.
    /// `shutdown` stops it.
    public func listen() async throws -> Int {
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = 0
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        guard let port = app.http.server.shared.localAddress?.port else {
            throw Abort(.internalServerError, reason: "the test server has no port")
        }
        return port
    }
}

extension TestPlatform {
    /// A sibling organisation under the root (another bank), for isolation tests.
    public func newOrganisation(_ name: String = "Other bank") async throws -> UUID {
        let other = OrganisationModel(name: name, kind: .bank, parent: try await rootOrganisation)
        try await other.create(on: app.db)
        return try other.requireID()
    }
}
