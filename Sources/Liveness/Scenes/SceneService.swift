import Fluent
import Foundation
import Gallery
import Platform

/// A scene as the API shows it: the rules, and whether a callback secret is set (never the secret).
public struct SceneInfo: Codable, Sendable {
    public var sceneId: String
    public var rules: SceneRules
    public var hasCallbackSecret: Bool
    public var createdAt: Date?
    public var updatedAt: Date?
}

public enum LivenessFailure: Error, Sendable, Equatable {
    case sceneNotFound(String)
    case sceneExists(String)
    case verificationNotFound
    case invalid(String)
    /// A verification that can no longer be used: code 14 (done), 15 (expired), 16 (attempts used up).
    case closed(Int, String)
}

/// Scenes of the signed application: create, change, list, get, delete.
public struct SceneService: Sendable {
    let key: DataKey

    public init(key: DataKey) { self.key = key }

    public func create(_ caller: GalleryCaller, sceneID: String, rules: SceneRules, callbackSecret: String?, on db: any Database) async throws -> SceneInfo {
        let sceneID = try Self.validID(sceneID)
        guard try await find(caller, sceneID, on: db) == nil else { throw LivenessFailure.sceneExists(sceneID) }
        try Self.check(rules, callbackSecret: callbackSecret)
        let scene = SceneModel()
        scene.id = UUID()
        scene.organisationID = caller.organisationID
        scene.applicationID = caller.applicationID
        scene.sceneID = sceneID
        scene.rulesJSON = try Self.encode(rules)
        scene.sealedCallbackSecret = try callbackSecret.map { try seal($0, scene: scene.id!) }
        try await scene.create(on: db)
        return try info(scene)
    }

    /// Replaces the rules; the secret changes only when given ("" removes it).
    public func update(_ caller: GalleryCaller, sceneID: String, rules: SceneRules, callbackSecret: String?, on db: any Database) async throws -> SceneInfo {
        let scene = try await require(caller, sceneID, on: db)
        try Self.check(rules, callbackSecret: callbackSecret.flatMap { $0.isEmpty ? nil : $0 }, keeping: scene.sealedCallbackSecret != nil)
        scene.rulesJSON = try Self.encode(rules)
        if let callbackSecret { scene.sealedCallbackSecret = callbackSecret.isEmpty ? nil : try seal(callbackSecret, scene: try scene.requireID()) }
        try await scene.save(on: db)
        return try info(scene)
    }

    public func delete(_ caller: GalleryCaller, sceneID: String, on db: any Database) async throws {
        try await require(caller, sceneID, on: db).delete(on: db)
    }

    public func get(_ caller: GalleryCaller, sceneID: String, on db: any Database) async throws -> SceneInfo {
        try info(try await require(caller, sceneID, on: db))
    }

    public func list(_ caller: GalleryCaller, on db: any Database) async throws -> [SceneInfo] {
        try await SceneModel.query(on: db).filter(\.$applicationID == caller.applicationID).sort(\.$sceneID).all().map(info)
    }

    func find(_ caller: GalleryCaller, _ sceneID: String, on db: any Database) async throws -> SceneModel? {
        try await SceneModel.query(on: db).filter(\.$applicationID == caller.applicationID).filter(\.$sceneID == sceneID).first()
    }

    func require(_ caller: GalleryCaller, _ sceneID: String, on db: any Database) async throws -> SceneModel {
        guard let scene = try await find(caller, sceneID, on: db) else { throw LivenessFailure.sceneNotFound(sceneID) }
        return scene
    }

    func callbackSecret(of scene: SceneModel) throws -> String? {
        guard let sealed = scene.sealedCallbackSecret else { return nil }
        return String(decoding: try key.open(sealed, context: "scene-callback:\(try scene.requireID().uuidString.lowercased())"), as: UTF8.self)
    }

    private func seal(_ secret: String, scene: UUID) throws -> Data {
        try key.seal(Data(secret.utf8), context: "scene-callback:\(scene.uuidString.lowercased())")
    }

    func info(_ scene: SceneModel) throws -> SceneInfo {
        SceneInfo(sceneId: scene.sceneID, rules: try Self.rules(scene.rulesJSON), hasCallbackSecret: scene.sealedCallbackSecret != nil,
                  createdAt: scene.createdAt, updatedAt: scene.updatedAt)
    }

    static func check(_ rules: SceneRules, callbackSecret: String?, keeping: Bool = false) throws {
        if let problem = rules.problem { throw LivenessFailure.invalid(problem) }
        if let callbackSecret, !(16...256).contains(callbackSecret.count) { throw LivenessFailure.invalid("callbackSecret: 16 to 256 characters") }
        if rules.callbackURL != nil && callbackSecret == nil && !keeping {
            throw LivenessFailure.invalid("callbackSecret is required with callbackUrl (callbacks are signed with it)")
        }
    }

    static func validID(_ id: String) throws -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        guard (1...64).contains(id.count), id.unicodeScalars.allSatisfy({ allowed.contains($0) && $0.isASCII }) else {
            throw LivenessFailure.invalid("sceneId: 1 to 64 letters, digits, '-', '_' or '.'")
        }
        return id
    }

    static func encode(_ rules: SceneRules) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(rules), as: UTF8.self)
    }

    static func rules(_ json: String) throws -> SceneRules {
        try JSONDecoder().decode(SceneRules.self, from: Data(json.utf8))
    }
}
