import Console
import FaceServices
import Platform
import Vapor

/// Installs Veriface's middleware and routes on a Vapor application: health, OpenAPI, the
/// signed face API under /v1 and the admin console under /console.
public func configure(_ app: Application, service: FaceService, platform: Platform) throws {
    app.middleware = Middlewares()
    app.middleware.use(RequestIDMiddleware())
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    app.middleware.use(APIErrorMiddleware())
    try app.register(collection: HealthRoutes(service: service))
    try app.register(collection: OpenAPIRoute())
    let signed = app.grouped(CallLogMiddleware())
        .grouped(SignedRequestMiddleware(key: platform.key, maxBody: FaceRoutes.maxBody.value))
    try signed.register(collection: FaceRoutes(service: service))
    try app.register(collection: ConsoleRoutes(platform: platform))
}
