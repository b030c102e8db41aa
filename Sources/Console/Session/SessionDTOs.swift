import Foundation
import Platform
import Vapor

struct LoginRequest: Content {
    var username: String
    var password: String
    var method: String?
}

struct PasswordChangeRequest: Content {
    var current: String
    var new: String
}

struct UserSummary: Content {
    var id: UUID
    var username: String
    var displayName: String
    var organisationId: UUID
    var organisationName: String
    var source: String
    var permissions: [String]
    var mustChangePassword: Bool
}

struct SessionResponse: Content {
    var user: UserSummary
    var csrfToken: String
}

struct SSOMethods: Content {
    var ldap: Bool
    var oidc: Bool
}
