import FaceServices
import Foundation
import Gallery
import Vapor

extension GroupInfo: Content {}
extension PersonInfo: Content {}
extension EnrolmentResult: Content {}
extension VerifyResult: Content {}

struct GroupCreateRequest: Content {
    var groupId: String
    var name: String
    var tag: String?
    var customFields: [String]?
    var keepImages: Bool?
}

struct GroupModifyRequest: Content {
    var name: String?
    var tag: String?
    var addCustomFields: [String]?
}

struct PersonCreateRequest: Content {
    var groupId: String
    var personId: String
    var personName: String
    var gender: Int?
    var customValues: [String: String]?
    var uniquePersonControl: UniquePersonControl?
    var qualityControl: QualityControl?
}

struct PersonModifyRequest: Content {
    var personName: String?
    var gender: Int?
    var groupId: String?
    var customValues: [String: String]?
}

struct PersonCopyRequest: Content {
    var groupIds: [String]
}

struct FacesAddRequest: Content {
    var images: [String]
    var qualityControl: QualityControl?
}

struct SearchRequest: Content {
    var groupIds: [String]
    var maxFaces: Int?
    var maxPersons: Int?
    var matchThreshold: Float?
    var byGroup: Bool?
    var qualityControl: QualityControl?
}

struct VerifyRequest: Content {
    var personId: String
    var threshold: Float?
    var qualityControl: QualityControl?
}

struct ListQuery: Content {
    var groupId: String?
    var page: Int?
    var size: Int?
}

struct Listed<Item: Content>: Content {
    var RequestId: String
    var items: [Item]
    var total: Int
}

struct Answer<Item: Content>: Content {
    var RequestId: String
    var result: Item
}

struct FaceIDs: Content {
    var RequestId: String
    var faceIds: [String]
}

struct SearchAnswer: Content {
    var RequestId: String
    var results: [FaceSearchResult]
    var threshold: Float
}

extension FaceSearchResult: Content {}
