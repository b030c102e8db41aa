import Foundation
import XCTest

@testable import SingleSignOn

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs against the real directory the test script starts (see SSOTestEnvironment).
final class LDAPDirectoryTests: XCTestCase {
    private let aliceDN = "uid=alice,ou=people,dc=veriface,dc=test"

    private func directory(url: String? = nil, timeout: Duration = .seconds(5)) throws -> LDAPDirectory {
        let settings = LDAPSettings(
            url: try url ?? SSOTestEnvironment.required("VERIFACE_TEST_LDAP_URL"),
            userDNTemplate: "uid={username},ou=people,dc=veriface,dc=test",
            groupBase: "ou=groups,dc=veriface,dc=test",
            timeout: timeout)
        return LDAPDirectory(settings: settings)
    }

    func testGoodPasswordYieldsIdentityWithSortedGroups() async throws {
        let identity = try await directory().authenticate(username: "alice", password: "alice-Secret-1")
        XCTAssertEqual(identity, LDAPIdentity(
            dn: aliceDN, username: "alice", displayName: "Alice Liu", email: "alice@veriface.test",
            groups: ["auditors", "operators"]))
    }

    func testSecondUserSeesOnlyTheirGroups() async throws {
        let identity = try await directory().authenticate(username: "bob", password: "bob-Secret-2")
        XCTAssertEqual(identity.displayName, "Bob Chen")
        XCTAssertEqual(identity.groups, ["auditors"])
    }

    func testWithoutGroupBaseNoGroupsAreRead() async throws {
        var settings = try directory().settings
        settings.groupBase = nil
        let identity = try await LDAPDirectory(settings: settings).authenticate(username: "alice", password: "alice-Secret-1")
        XCTAssertEqual(identity.groups, [])
        XCTAssertEqual(identity.email, "alice@veriface.test")
    }

    func testWrongPasswordIsRefused() async throws {
        let directory = try directory()
        await assertThrows(LDAPError.invalidCredentials) {
            try await directory.authenticate(username: "alice", password: "bob-Secret-2")
        }
    }

    func testUnknownUserIsRefused() async throws {
        let directory = try directory()
        await assertThrows(LDAPError.invalidCredentials) {
            try await directory.authenticate(username: "mallory", password: "alice-Secret-1")
        }
    }

    /// An empty simple-bind password is an anonymous bind that servers accept; the directory
    /// must refuse it itself. Pointing at a dead port proves the server is never asked.
    func testEmptyPasswordIsRefusedWithoutAskingTheServer() async throws {
        let deadPort = try directory(url: "ldap://127.0.0.1:\(try Self.closedPort())")
        await assertThrows(LDAPError.invalidCredentials) {
            try await deadPort.authenticate(username: "alice", password: "")
        }
        let live = try directory()
        await assertThrows(LDAPError.invalidCredentials) {
            try await live.authenticate(username: "alice", password: "")
        }
    }

    func testFilterAndDNSyntaxInUsernamesIsTakenLiterally() async throws {
        let directory = try directory()
        for username in ["alice)(uid=*", "*", "alice,ou=people", "alice,ou=people,dc=veriface,dc=test", "alice\\", "#alice", "alice\\2c", "alice*"] {
            await assertThrows(LDAPError.invalidCredentials) {
                try await directory.authenticate(username: username, password: "alice-Secret-1")
            }
        }
    }

    /// The directory matches names ignoring case and surrounding spaces; the identity must
    /// carry the stored name so that one person cannot turn into several accounts.
    func testLooselyTypedNamesYieldTheStoredName() async throws {
        let directory = try directory()
        for typed in ["ALICE", " alice", "Alice "] {
            let identity = try await directory.authenticate(username: typed, password: "alice-Secret-1")
            XCTAssertEqual(identity.username, "alice", typed.debugDescription)
            XCTAssertEqual(identity.dn, aliceDN, typed.debugDescription)
            XCTAssertEqual(identity.groups, ["auditors", "operators"])
        }
    }

    func testControlCharactersInUsernamesAreRefused() async throws {
        let directory = try directory()
        for username in ["alice\u{0}", "alice\r\nuid=bob", ""] {
            await assertThrows(LDAPError.invalidUsername) {
                try await directory.authenticate(username: username, password: "alice-Secret-1")
            }
        }
    }

    func testClosedPortIsUnreachable() async throws {
        let directory = try directory(url: "ldap://127.0.0.1:\(try Self.closedPort())", timeout: .seconds(2))
        do {
            _ = try await directory.authenticate(username: "alice", password: "alice-Secret-1")
            XCTFail("authenticated against a closed port")
        } catch LDAPError.unreachable {
        }
    }

    /// A server that accepts the connection but never answers must not hang the login.
    func testSilentServerTimesOut() async throws {
        let (socket, port) = try Self.listeningSocketThatNeverAnswers()
        defer { close(socket) }
        let directory = try directory(url: "ldap://127.0.0.1:\(port)", timeout: .milliseconds(500))
        let started = ContinuousClock.now
        do {
            _ = try await directory.authenticate(username: "alice", password: "alice-Secret-1")
            XCTFail("authenticated against a silent server")
        } catch LDAPError.unreachable {
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(3))
    }

    func testConcurrentLoginsDoNotInterfere() async throws {
        let directory = try directory()
        try await withThrowingTaskGroup(of: LDAPIdentity.self) { group in
            for index in 0..<8 {
                group.addTask {
                    index.isMultiple(of: 2)
                        ? try await directory.authenticate(username: "alice", password: "alice-Secret-1")
                        : try await directory.authenticate(username: "bob", password: "bob-Secret-2")
                }
            }
            var names: [String] = []
            for try await identity in group { names.append(identity.username) }
            XCTAssertEqual(names.sorted(), Array(repeating: "alice", count: 4) + Array(repeating: "bob", count: 4))
        }
    }

    // MARK: - Sockets for the failure cases

    private static func boundSocket() throws -> (Int32, Int) {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else { close(fd); throw POSIXError(.EADDRINUSE) }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// A port nothing listens on: bound then released, so connecting is refused.
    private static func closedPort() throws -> Int {
        let (fd, port) = try boundSocket()
        close(fd)
        return port
    }

    /// The kernel completes TCP handshakes for a listening socket even if nobody accepts.
    private static func listeningSocketThatNeverAnswers() throws -> (Int32, Int) {
        let (fd, port) = try boundSocket()
        guard listen(fd, 8) == 0 else { close(fd); throw POSIXError(.EIO) }
        return (fd, port)
    }
}
