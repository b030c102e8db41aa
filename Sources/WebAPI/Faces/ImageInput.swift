import FaceServices
import Vapor

/// Reads a face request: JSON with images as base64 strings, or multipart/form-data with
/// images as file parts; the other fields are the same in both.
enum ImageInput {
    private struct Base64Images: Decodable {
        var image: String?
        var imageA: String?
        var imageB: String?
    }

    private struct FileImages: Decodable {
        var image: File?
        var imageA: File?
        var imageB: File?
    }

    enum Format { case json, multipart }

    static func format(of request: Request) throws -> Format {
        // Bodies that arrive whole (not streamed) bypass the route's collect limit.
        if let body = request.body.data, body.readableBytes > FaceRoutes.maxBody.value { throw Abort(.payloadTooLarge) }
        guard let type = request.headers.contentType else { throw Abort(.unsupportedMediaType) }
        if type.type == "application" && type.subType == "json" { return .json }
        if type.type == "multipart" && type.subType == "form-data" { return .multipart }
        throw Abort(.unsupportedMediaType)
    }

    /// The request's options as `T`.
    static func fields<T: Decodable>(_ type: T.Type, from request: Request) throws -> T {
        switch try format(of: request) {
        case .json: try request.content.decode(T.self, as: .json)
        case .multipart: try request.content.decode(T.self, as: .formData)
        }
    }

    /// The bytes of each named image field (`image`, `imageA`, `imageB`); every name is required.
    static func images(_ names: [String], from request: Request) throws -> [Data] {
        switch try format(of: request) {
        case .json:
            let body = try request.content.decode(Base64Images.self, as: .json)
            let values = ["image": body.image, "imageA": body.imageA, "imageB": body.imageB]
            return try names.map { name in
                guard let text = values[name] ?? nil, !text.isEmpty else { throw missing(name) }
                return try base64(text, field: name)
            }
        case .multipart:
            let body = try request.content.decode(FileImages.self, as: .formData)
            let values = ["image": body.image, "imageA": body.imageA, "imageB": body.imageB]
            return try names.map { name in
                guard let file = values[name] ?? nil, file.data.readableBytes > 0 else { throw missing(name) }
                return Data(buffer: file.data)
            }
        }
    }

    static func missing(_ name: String) -> ServiceError {
        ServiceError(.invalidParameter, "'\(name)' is required: a base64 string in JSON, or a file part in multipart/form-data")
    }

    /// The decoded bytes of a base64 field (a `data:image/...;base64,` prefix is allowed).
    static func base64(_ text: String, field: String) throws -> Data {
        var payload = Substring(text)
        if payload.hasPrefix("data:"), let comma = payload.firstIndex(of: ",") {
            payload = payload[payload.index(after: comma)...]
        }
        guard let data = Data(base64Encoded: String(payload), options: .ignoreUnknownCharacters), !data.isEmpty else {
            throw ServiceError(.invalidImage, "'\(field)' is not valid base64 image data")
        }
        return data
    }
}
