import Foundation
import Platform
import Vapor

struct RoleRef: Content {
    var id: UUID
    var name: String
}

struct UserDTO: Content {
    var id: UUID
    var username: String
    var displayName: String
    var organisationId: UUID
    var organisationName: String
    var source: String
    var disabled: Bool
    var locked: Bool
    var roles: [RoleRef]
    var createdAt: Date?
}

struct UserInput: Content {
    var username: String?
    var displayName: String?
    var password: String?
    var organisationId: UUID?
    var roleIds: [UUID]?
    var disabled: Bool?
    var unlock: Bool?
}

struct UserQuery: Content {
    var q: String?
    var organisationId: UUID?
}

struct RoleDTO: Content {
    var id: UUID
    var name: String
    var organisationId: UUID
    var permissions: [String]
    var builtIn: Bool

    init(_ role: RoleModel) throws {
        id = try role.requireID()
        name = role.name
        organisationId = role.organisationID
        permissions = role.permissions.map(\.rawValue)
        builtIn = role.builtIn
    }
}

struct RoleInput: Content {
    var name: String?
    var organisationId: UUID?
    var permissions: [String]?
}

struct PermissionDTO: Content {
    var name: String
    var description: String
}

struct ItemList<Item: Content>: Content { var items: [Item] }
