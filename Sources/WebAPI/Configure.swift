import Console
import FaceServices
import Gallery
import Platform
import Vapor

/// Everything a server needs besides the Vapor application: the platform (database, data
/// key, sign-in) and the gallery with its index loaded from the database.
public struct ServerParts: Sendable {
    public let platform: Platform
    public let gallery: GalleryService
    /// Set when this start created the database: shown once, never logged.
    public let firstAdministrator: FirstAdministrator.Created?
}

/// Opens the storage (migrating the embedded SQLite), creates the first administrator on a
/// new database, and loads the face index with a progress line.
public func prepare(_ app: Application, settings: PlatformSettings, service: FaceService) async throws -> ServerParts {
    let platform = try Platform.setUp(app, settings: settings, moreMigrations: GalleryMigrations.all)
    try await platform.prepareDatabase(app)
    let first = try await platform.createFirstAdministrator(app)
    var lastReport = Date.distantPast
    let index = try await GalleryIndex.load(from: app.db, key: platform.key) { done, total in
        if Date().timeIntervalSince(lastReport) > 2 || done == total {
            app.logger.info("loading the face index: \(done)/\(total) faces")
            lastReport = Date()
        }
    }
    let jobs = JobRunner(db: app.db, logger: app.logger)
    let gallery = GalleryService(faces: service, key: platform.key, blobs: platform.blobs, index: index, jobs: jobs)
    try await jobs.start(gallery: gallery)
    return ServerParts(platform: platform, gallery: gallery, firstAdministrator: first)
}

/// Installs Veriface's middleware and routes on a Vapor application: health, OpenAPI, the
/// signed face and gallery APIs under /v1 and the admin console under /console.
public func configure(_ app: Application, service: FaceService, parts: ServerParts) throws {
    app.middleware = Middlewares()
    app.middleware.use(RequestIDMiddleware())
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    app.middleware.use(APIErrorMiddleware())
    try app.register(collection: HealthRoutes(service: service))
    try app.register(collection: OpenAPIRoute())
    let signed = app.grouped(CallLogMiddleware())
        .grouped(SignedRequestMiddleware(key: parts.platform.key, maxBody: FaceRoutes.maxBody.value))
    try signed.register(collection: FaceRoutes(service: service))
    try signed.register(collection: GalleryRoutes(gallery: parts.gallery))
    try signed.register(collection: JobRoutes(gallery: parts.gallery))
    try app.register(collection: ConsoleRoutes(platform: parts.platform))
}
