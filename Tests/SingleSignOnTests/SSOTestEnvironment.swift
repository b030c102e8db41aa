import Foundation
import XCTest

/// The LDAP and OIDC tests talk to real servers that the test script starts and announces
/// through environment variables. A missing variable is a broken test setup, so it fails the
/// test unless the developer explicitly opts out with VERIFACE_SKIP_SSO_TESTS=1.
enum SSOTestEnvironment {
    struct MissingServer: Error, CustomStringConvertible {
        var variable: String
        var description: String {
            "\(variable) is not set: start the test servers (scripts/test does) or set VERIFACE_SKIP_SSO_TESTS=1"
        }
    }

    static func required(_ variable: String) throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let value = environment[variable], !value.isEmpty { return value }
        if environment["VERIFACE_SKIP_SSO_TESTS"] == "1" {
            throw XCTSkip("\(variable) is not set and VERIFACE_SKIP_SSO_TESTS=1")
        }
        throw MissingServer(variable: variable)
    }
}

func assertThrows<E: Error & Equatable, T>(
    _ expected: E,
    _ expression: () async throws -> T,
    file: StaticString = #filePath,
    line: UInt = #line
) async {
    do {
        let value = try await expression()
        XCTFail("expected \(expected), got \(value)", file: file, line: line)
    } catch let error as E {
        XCTAssertEqual(error, expected, file: file, line: line)
    } catch {
        XCTFail("expected \(expected), got \(error)", file: file, line: line)
    }
}
