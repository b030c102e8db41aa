import Foundation
import Vapor

/// GET /openapi.json: the API's OpenAPI 3 document, shipped as a resource of this module.
struct OpenAPIRoute: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
              let document = try? Data(contentsOf: url) else {
            throw Abort(.internalServerError, reason: "openapi.json resource is missing")
        }
        routes.get("openapi.json") { _ in
            Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: document))
        }
    }
}
