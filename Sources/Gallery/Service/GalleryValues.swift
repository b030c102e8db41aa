import Foundation

/// What the gallery answers, independent of HTTP.
public struct GroupInfo: Sendable, Codable {
    public var groupId: String
    public var name: String
    public var tag: String
    public var customFields: [String]
    public var keepImages: Bool
    public var modelVersion: String
    /// What a model revert goes back to (the version before the last upgrade).
    public var previousModelVersion: String?
    public var personCount: Int
    public var faceCount: Int
    /// Faces in this node's search index; equals `faceCount` unless a write is in flight.
    public var indexedFaces: Int
    public var createdAt: Date?
}

public struct PersonInfo: Sendable, Codable {
    public var personId: String
    public var name: String
    public var gender: Int
    public var groupIds: [String]
    public var faceIds: [String]
    public var customValues: [String: [String: String]]
    public var createdAt: Date?
}

public struct EnrolmentResult: Sendable, Codable {
    public var personId: String
    public var faceIds: [String]
    /// With the "warn" unique-person control: the enrolled person the face already resembles.
    public var similarPersonId: String?
    public var similarity: Float?
}

public enum UniquePersonControl: String, Sendable, Codable {
    case off, warn, refuse
}

public struct PersonCandidate: Sendable, Codable {
    public var personId: String
    public var name: String
    public var faceId: String
    public var score: Float
    public var groupId: String
}

public struct FaceSearchResult: Sendable, Codable {
    public var face: FaceBox
    public var candidates: [PersonCandidate]
    /// Present with `byGroup`: the candidates of each group.
    public var groups: [String: [PersonCandidate]]?
}

public struct FaceBox: Sendable, Codable {
    public var x: Float
    public var y: Float
    public var width: Float
    public var height: Float
}

public struct VerifyResult: Sendable, Codable {
    public var personId: String
    /// Against the person's best-matching face.
    public var scoreByFace: Float
    /// Against the person's template (the normalised mean of their faces).
    public var scoreByTemplate: Float
    public var isMatch: Bool
    public var threshold: Float
}
