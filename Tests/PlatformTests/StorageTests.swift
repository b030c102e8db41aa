import Fluent
import Foundation
import Platform
import TestSupport
import XCTest

/// The data layer on SQLite and on the real PostgreSQL the test command starts.
final class StorageTests: XCTestCase {
    func testMigrationsRevertAndReapplyOnEveryBackend() async throws {
        try await TestPlatform.onEveryBackend { server, backend in
            try await assertEqual(try await UserModel.query(on: server.app.db).count(), 1, "\(backend)")
            try await server.app.autoRevert()
            // Every table is gone after the revert…
            do {
                _ = try await UserModel.query(on: server.app.db).count()
                XCTFail("users table survived the revert on \(backend)")
            } catch {}
            // …and comes back empty.
            try await server.app.autoMigrate()
            try await assertEqual(try await UserModel.query(on: server.app.db).count(), 0, "\(backend)")
        }
    }

    func testOrganisationScopeOnEveryBackend() async throws {
        try await TestPlatform.onEveryBackend { server, backend in
            let db = server.app.db
            let root = try await server.rootOrganisation
            let bank = OrganisationModel(name: "Member bank", kind: .bank, parent: root)
            try await bank.create(on: db)
            let village = OrganisationModel(name: "Village bank", kind: .village, parent: bank)
            try await village.create(on: db)
            let sibling = OrganisationModel(name: "Sibling bank", kind: .bank, parent: root)
            try await sibling.create(on: db)
            let (appInVillage, _) = try await server.application(in: village.requireID())
            let (appInSibling, _) = try await server.application(in: sibling.requireID())

            let bankScope = try await OrganisationScope.of(organisationID: bank.requireID(), on: db)
            XCTAssertEqual(bankScope.visibleIDs, [try bank.requireID(), try village.requireID()], "\(backend)")
            let visibleApps = try await bankScope.query(ApplicationModel.self, on: db).all().map(\.id)
            XCTAssertEqual(visibleApps, [appInVillage.id], "\(backend)")
            do {
                _ = try await bankScope.find(ApplicationModel.self, appInSibling.id, on: db, "application")
                XCTFail("a sibling's application was found on \(backend)")
            } catch let failure as PlatformFailure {
                XCTAssertEqual(failure, .notFound("application"))
            }
            let rootScope = try await OrganisationScope.of(organisationID: root.requireID(), on: db)
            XCTAssertEqual(rootScope.visibleIDs.count, 4, "\(backend)")
            try await assertEqual(try await rootScope.query(ApplicationModel.self, on: db).count(), 2, "\(backend)")
        }
    }

    func testBlobsAndSecretsAreEncryptedAtRest() async throws {
        try await TestPlatform.withServer { server in
            let keyFile = server.dataDirectory.appendingPathComponent("data.key")
            let mode = try FileManager.default.attributesOfItem(atPath: keyFile.path)[.posixPermissions] as? Int
            XCTAssertEqual(mode, 0o600)

            let image = try TestData.bytes("faces/face_recognition_examples/examples/obama.jpg")
            let id = try server.platform.blobs.put(image)
            XCTAssertEqual(try server.platform.blobs.get(id), image)
            let onDisk = try Data(contentsOf: server.platform.blobs.directory.appendingPathComponent(String(id.prefix(2))).appendingPathComponent(id))
            XCTAssertNil(onDisk.range(of: image.prefix(64)), "the blob is stored in clear")
            XCTAssertNotEqual(onDisk.prefix(3), Data([0xFF, 0xD8, 0xFF]), "the file starts like a JPEG")
            XCTAssertThrowsError(try server.platform.blobs.get("../data.key"))

            // A blob moved to another id does not open: the id is authenticated.
            let other = try server.platform.blobs.put(Data("x".utf8))
            let otherPath = server.platform.blobs.directory.appendingPathComponent(String(other.prefix(2))).appendingPathComponent(other)
            try onDisk.write(to: otherPath)
            XCTAssertThrowsError(try server.platform.blobs.get(other))

            // The SecretKey is in the database only sealed.
            let (_, issued) = try await server.application()
            let row = try await XCTUnwrapAsync(try await CredentialModel.query(on: server.app.db).filter(\.$secretID == issued.secretId).first())
            XCTAssertNil(row.sealedSecretKey.range(of: Data(issued.secretKey.utf8)))

            // A key file readable by others is refused.
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyFile.path)
            XCTAssertThrowsError(try DataKey.loadOrCreate(in: server.dataDirectory))
        }
    }
}

func XCTUnwrapAsync<T>(_ value: @autoclosure () async throws -> T?, file: StaticString = #filePath, line: UInt = #line) async throws -> T {
    let v = try await value()
    return try XCTUnwrap(v, file: file, line: line)
}
