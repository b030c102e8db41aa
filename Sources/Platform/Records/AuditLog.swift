import Fluent
import Foundation

/// Writes the audit trail of administrative changes.
public enum AuditLog {
    public struct Actor: Sendable {
        public var id: UUID?
        public var name: String
        public var organisationID: UUID
        public var ip: String

        public init(id: UUID?, name: String, organisationID: UUID, ip: String) {
            self.id = id
            self.name = name
            self.organisationID = organisationID
            self.ip = ip
        }
    }

    /// `before`/`after` are the changed object as JSON; secrets must never be in them.
    public static func record<Before: Encodable, After: Encodable>(
        _ action: String, by actor: Actor, target: String, id: String?, organisationID: UUID? = nil,
        before: Before?, after: After?, on db: any Database
    ) async throws {
        try await AuditLogModel(
            organisationID: organisationID ?? actor.organisationID, actorID: actor.id, actorName: actor.name,
            action: action, targetType: target, targetID: id, before: json(before), after: json(after),
            callerIP: actor.ip, time: Date()
        ).create(on: db)
    }

    public static func record(_ action: String, by actor: Actor, target: String, id: String?, on db: any Database) async throws {
        try await record(action, by: actor, target: target, id: id, before: String?.none, after: String?.none, on: db)
    }

    static func json<T: Encodable>(_ value: T?) -> String? {
        guard let value else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) }
    }
}
