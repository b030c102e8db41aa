import FaceServices
import Vapor

/// Installs Veriface's middleware and routes on a Vapor application.
public func configure(_ app: Application, service: FaceService) throws {
    app.middleware = Middlewares()
    app.middleware.use(RequestIDMiddleware())
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    app.middleware.use(APIErrorMiddleware())
    try app.register(collection: HealthRoutes(service: service))
    try app.register(collection: OpenAPIRoute())
    try app.register(collection: FaceRoutes(service: service))
}
