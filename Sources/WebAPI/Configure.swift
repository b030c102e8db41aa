import Console
import Fluent
import FaceServices
import Gallery
import Liveness
import Platform
import Vapor

/// The tables of the product's capabilities, after the platform's own (they reference it).
public let productMigrations: [any Migration] = GalleryMigrations.all + LivenessMigrations.all

/// Everything a server needs besides the Vapor application: the platform (database, data
/// key, sign-in) and the gallery with its index loaded from the database.
public struct ServerParts: Sendable {
    public let platform: Platform
    public let gallery: GalleryService
    public let verifications: VerificationService
    /// Set when this start created the database: shown once, never logged.
    public let firstAdministrator: FirstAdministrator.Created?
}

/// Opens the storage (migrating the embedded SQLite), creates the first administrator on a
/// new database, and loads the face index with a progress line.
public func prepare(_ app: Application, settings: PlatformSettings, service: FaceService) async throws -> ServerParts {
    let platform = try Platform.setUp(app, settings: settings, moreMigrations: productMigrations)
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
    let callbacks = CallbackDelivery(client: app.client, db: app.db, logger: app.logger, delays: settings.callbackRetryDelays)
    let verifications = VerificationService(faces: service, gallery: gallery, key: platform.key, blobs: platform.blobs, callbacks: callbacks)
    try await callbacks.start(scenes: verifications.scenes)
    return ServerParts(platform: platform, gallery: gallery, verifications: verifications, firstAdministrator: first)
}

/// Installs Veriface's middleware and routes on a Vapor application: health, OpenAPI, the
/// signed face, gallery and liveness APIs under /v1, the H5 liveness page under /h5 and the
/// admin console under /console.
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
    try signed.register(collection: StaticLivenessRoutes(liveness: StaticLiveness(faces: service)))
    try signed.register(collection: GalleryRoutes(gallery: parts.gallery))
    try signed.register(collection: JobRoutes(gallery: parts.gallery))
    try signed.register(collection: LivenessRoutes(verifications: parts.verifications))
    try signed.register(collection: VideoLivenessRoutes(video: VideoLiveness(faces: parts.verifications.faces),
                                                                 sequences: ActionSequenceTokens(key: parts.platform.key)))
    try app.register(collection: H5Routes(verifications: parts.verifications))
    try app.register(collection: ConsoleRoutes(platform: parts.platform))
}
