import Foundation
import Vapor

/// Local passwords: bcrypt, a minimum length, and a lockout after repeated failures.
public enum PasswordPolicy {
    public static let minimumLength = 10
    public static let maximumLength = 128
    /// bcrypt cost 12 takes about 0.25 s here: slow for a guesser, bearable for a sign-in.
    static let cost = 12
    public static let failuresBeforeLockout = 5
    public static let lockoutDuration: TimeInterval = 15 * 60

    public static func hash(_ password: String) throws -> String {
        try validate(password)
        return try Bcrypt.hash(password, cost: cost)
    }

    public static func verify(_ password: String, hash: String) -> Bool {
        guard password.utf8.count <= maximumLength else { return false }
        return (try? Bcrypt.verify(password, created: hash)) ?? false
    }

    public static func validate(_ password: String) throws {
        guard password.count >= minimumLength else {
            throw PlatformFailure.invalid("password must have at least \(minimumLength) characters")
        }
        // bcrypt reads only 72 bytes; a longer limit than that would mislead.
        guard password.utf8.count <= 72 else { throw PlatformFailure.invalid("password must have at most 72 bytes") }
    }

    /// A one-time password people can type: 16 characters without look-alikes.
    public static func generateOneTime() -> String {
        RandomText.make(16, from: RandomText.readable)
    }
}
