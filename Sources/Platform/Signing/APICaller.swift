import Foundation
import Vapor

/// The application a signed /v1 request comes from.
public struct APICaller: Sendable {
    public var applicationID: UUID
    public var organisationID: UUID
    public var secretID: String
    public var action: String?
}

enum APICallerKey: StorageKey {
    typealias Value = APICaller
}

extension Request {
    /// Set by `SignedRequestMiddleware` on every request it lets through.
    public var apiCaller: APICaller? {
        get { storage[APICallerKey.self] }
        set { storage[APICallerKey.self] = newValue }
    }
}
