/// What the server knows, before an attempt, that makes it more likely to be an attack:
/// failures of the same user, of the same device, and of this verification. Counts over
/// the last 24 hours (the attempt limits' window); smart mode picks its challenge from them.
public struct RiskSignals: Sendable, Equatable {
    /// Failed attempts for this external user id (or reference person).
    public var userFailures: Int
    /// Failed attempts from this device (address and browser), over the application.
    public var deviceFailures: Int
    /// Earlier failed attempts of this BizToken.
    public var verificationFailures: Int

    public init(userFailures: Int = 0, deviceFailures: Int = 0, verificationFailures: Int = 0) {
        self.userFailures = userFailures
        self.deviceFailures = deviceFailures
        self.verificationFailures = verificationFailures
    }

    /// The signals present, in words, for the record's timeline.
    public var present: [String] {
        var present: [String] = []
        if userFailures > 0 { present.append("\(userFailures) failed attempt(s) of this user in 24 h") }
        if deviceFailures > 0 { present.append("\(deviceFailures) failed attempt(s) from this device in 24 h") }
        if verificationFailures > 0 { present.append("\(verificationFailures) failed attempt(s) of this verification") }
        return present
    }
}
