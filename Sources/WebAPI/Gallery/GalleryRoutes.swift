import FaceServices
import Gallery
import Platform
import Vapor

/// Groups, persons, faces, 1:N search and verification against a person, for the signed
/// application calling them (REST under /v1/groups, /v1/persons, /v1/search, /v1/verify).
struct GalleryRoutes: RouteCollection {
    let gallery: GalleryService

    func boot(routes: any RoutesBuilder) throws {
        let v1 = routes.grouped("v1")
        let groups = v1.grouped("groups")
        groups.post(use: createGroup)
        groups.get(use: listGroups)
        groups.get(":groupId", use: getGroup)
        groups.patch(":groupId", use: modifyGroup)
        groups.delete(":groupId", use: deleteGroup)

        let persons = v1.grouped("persons")
        persons.on(.POST, body: .collect(maxSize: FaceRoutes.maxBody), use: createPerson)
        persons.get(use: listPersons)
        persons.get(":personId", use: getPerson)
        persons.patch(":personId", use: modifyPerson)
        persons.delete(":personId", use: deletePerson)
        persons.post(":personId", "copy", use: copyPerson)
        persons.on(.POST, ":personId", "faces", body: .collect(maxSize: FaceRoutes.maxBody), use: addFaces)
        persons.delete(":personId", "faces", ":faceId", use: deleteFace)

        v1.on(.POST, "search", body: .collect(maxSize: FaceRoutes.maxBody), use: search)
        v1.on(.POST, "verify", body: .collect(maxSize: FaceRoutes.maxBody), use: verify)
    }

    func caller(_ request: Request) throws -> GalleryCaller {
        request.engineUsed = GalleryService.embedder.modelVersion
        return try request.galleryCaller
    }

    // MARK: Groups

    @Sendable func createGroup(_ request: Request) async throws -> Answer<GroupInfo> {
        let body = try request.content.decode(GroupCreateRequest.self)
        let group = try await gallery.createGroup(try caller(request), groupID: body.groupId, name: body.name, tag: body.tag ?? "",
                                                  customFields: body.customFields ?? [], keepImages: body.keepImages ?? false, on: request.db)
        return Answer(RequestId: request.requestID, result: group)
    }

    @Sendable func listGroups(_ request: Request) async throws -> Listed<GroupInfo> {
        let query = try request.query.decode(ListQuery.self)
        let (items, total) = try await gallery.listGroups(try caller(request), page: query.page ?? 1, size: query.size ?? 20, on: request.db)
        return Listed(RequestId: request.requestID, items: items, total: total)
    }

    @Sendable func getGroup(_ request: Request) async throws -> Answer<GroupInfo> {
        Answer(RequestId: request.requestID, result: try await gallery.getGroup(try caller(request), groupID: try parameter(request, "groupId"), on: request.db))
    }

    @Sendable func modifyGroup(_ request: Request) async throws -> Answer<GroupInfo> {
        let body = try request.content.decode(GroupModifyRequest.self)
        let group = try await gallery.modifyGroup(try caller(request), groupID: try parameter(request, "groupId"), name: body.name, tag: body.tag,
                                                  addCustomFields: body.addCustomFields, on: request.db)
        return Answer(RequestId: request.requestID, result: group)
    }

    @Sendable func deleteGroup(_ request: Request) async throws -> HTTPStatus {
        try await gallery.deleteGroup(try caller(request), groupID: try parameter(request, "groupId"), on: request.db)
        return .noContent
    }

    // MARK: Persons and faces

    @Sendable func createPerson(_ request: Request) async throws -> Answer<EnrolmentResult> {
        let body = try ImageInput.fields(PersonCreateRequest.self, from: request)
        let bytes = try ImageInput.images(["image"], from: request)[0]
        let image = try await gallery.faces.decodeOffLoop(bytes)
        let result = try await gallery.createPerson(
            try caller(request), groupID: body.groupId, personID: body.personId, name: body.personName, gender: body.gender ?? 0,
            customValues: body.customValues ?? [:], image: image, imageBytes: bytes,
            uniquePersonControl: body.uniquePersonControl ?? .off, qualityControl: body.qualityControl ?? .none, on: request.db)
        return Answer(RequestId: request.requestID, result: result)
    }

    @Sendable func listPersons(_ request: Request) async throws -> Listed<PersonInfo> {
        let query = try request.query.decode(ListQuery.self)
        guard let groupID = query.groupId else { throw ServiceError(.invalidParameter, "groupId is required") }
        let (items, total) = try await gallery.listPersons(try caller(request), groupID: groupID, page: query.page ?? 1,
                                                           size: query.size ?? 20, on: request.db)
        return Listed(RequestId: request.requestID, items: items, total: total)
    }

    @Sendable func getPerson(_ request: Request) async throws -> Answer<PersonInfo> {
        Answer(RequestId: request.requestID, result: try await gallery.getPerson(try caller(request), personID: try parameter(request, "personId"), on: request.db))
    }

    @Sendable func modifyPerson(_ request: Request) async throws -> Answer<PersonInfo> {
        let body = try request.content.decode(PersonModifyRequest.self)
        let person = try await gallery.modifyPerson(try caller(request), personID: try parameter(request, "personId"), name: body.personName,
                                                    gender: body.gender, groupID: body.groupId, customValues: body.customValues, on: request.db)
        return Answer(RequestId: request.requestID, result: person)
    }

    /// With `?groupId=`, only takes the person out of that group.
    @Sendable func deletePerson(_ request: Request) async throws -> HTTPStatus {
        let personID = try parameter(request, "personId")
        if let groupID = try request.query.decode(ListQuery.self).groupId {
            try await gallery.deletePersonFromGroup(try caller(request), personID: personID, groupID: groupID, on: request.db)
        } else {
            try await gallery.deletePerson(try caller(request), personID: personID, on: request.db)
        }
        return .noContent
    }

    @Sendable func copyPerson(_ request: Request) async throws -> Answer<PersonInfo> {
        let body = try request.content.decode(PersonCopyRequest.self)
        return Answer(RequestId: request.requestID, result: try await gallery.copyPerson(
            try caller(request), personID: try parameter(request, "personId"), toGroups: body.groupIds, on: request.db))
    }

    @Sendable func addFaces(_ request: Request) async throws -> FaceIDs {
        let body = try ImageInput.fields(FacesAddRequest.self, from: request)
        guard (1...GalleryService.maxFacesPerPerson).contains(body.images.count) else {
            throw ServiceError(.invalidParameter, "images: 1 to \(GalleryService.maxFacesPerPerson) base64 images")
        }
        var images: [(DecodedImage, Data)] = []
        for (index, text) in body.images.enumerated() {
            let bytes = try ImageInput.base64(text, field: "images[\(index)]")
            images.append((try await gallery.faces.decodeOffLoop(bytes), bytes))
        }
        let ids = try await gallery.addFaces(try caller(request), personID: try parameter(request, "personId"), images: images,
                                             qualityControl: body.qualityControl ?? .none, on: request.db)
        return FaceIDs(RequestId: request.requestID, faceIds: ids)
    }

    @Sendable func deleteFace(_ request: Request) async throws -> HTTPStatus {
        try await gallery.deleteFaces(try caller(request), personID: try parameter(request, "personId"),
                                      faceIDs: [try parameter(request, "faceId")], on: request.db)
        return .noContent
    }

    // MARK: Search and verify

    @Sendable func search(_ request: Request) async throws -> SearchAnswer {
        let body = try ImageInput.fields(SearchRequest.self, from: request)
        let image = try await gallery.faces.decodeOffLoop(try ImageInput.images(["image"], from: request)[0])
        let results = try await gallery.search(try caller(request), groupIDs: body.groupIds, image: image, maxFaces: body.maxFaces ?? 1,
                                               maxPersons: body.maxPersons ?? 5, threshold: body.matchThreshold,
                                               byGroup: body.byGroup ?? false, qualityControl: body.qualityControl ?? .none, on: request.db)
        return SearchAnswer(RequestId: request.requestID, results: results, threshold: body.matchThreshold ?? GalleryService.defaultMatchThreshold)
    }

    @Sendable func verify(_ request: Request) async throws -> Answer<VerifyResult> {
        let body = try ImageInput.fields(VerifyRequest.self, from: request)
        let image = try await gallery.faces.decodeOffLoop(try ImageInput.images(["image"], from: request)[0])
        return Answer(RequestId: request.requestID, result: try await gallery.verify(
            try caller(request), personID: body.personId, image: image, threshold: body.threshold,
            qualityControl: body.qualityControl ?? .none, on: request.db))
    }
}

/// A path parameter every route of the collection needs (never empty).
func parameter(_ request: Request, _ name: String) throws -> String {
    guard let value = request.parameters.get(name), !value.isEmpty else { throw ServiceError(.invalidParameter, "\(name) is required") }
    return value
}
