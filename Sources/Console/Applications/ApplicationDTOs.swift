import Foundation
import Platform
import Vapor

struct CredentialDTO: Content {
    var secretId: String
    var status: String
    var createdAt: Date?
    var lastUsedAt: Date?
}

struct ApplicationDTO: Content {
    var id: UUID
    var name: String
    var organisationId: UUID
    var organisationName: String
    var qpsLimit: Int
    var ipAllowList: [String]
    var disabled: Bool
    var createdAt: Date?
    var credentials: [CredentialDTO]
}

struct ApplicationInput: Content {
    var name: String?
    var organisationId: UUID?
    var qpsLimit: Int?
    var ipAllowList: [String]?
    var disabled: Bool?
}

/// A new SecretId/SecretKey pair: the only answer that ever carries the key.
struct IssuedCredentialDTO: Content {
    var secretId: String
    var secretKey: String

    init(_ issued: Credentials.Issued) {
        secretId = issued.secretId
        secretKey = issued.secretKey
    }
}

struct ApplicationCreated: Content {
    var application: ApplicationDTO
    var credential: IssuedCredentialDTO
}

struct ApplicationQuery: Content {
    var q: String?
}
