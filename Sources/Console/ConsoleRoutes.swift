import Platform
import Vapor

/// The admin console: its pages under /console and its JSON API under /console/api.
public struct ConsoleRoutes: RouteCollection {
    let platform: Platform

    public init(platform: Platform) { self.platform = platform }

    public func boot(routes: any RoutesBuilder) throws {
        try routes.register(collection: ConsoleAssets())
        try routes.register(collection: SessionController(platform: platform))
        let api = routes.grouped("console", "api").grouped(ConsoleAuthentication())
        try api.register(collection: OrganisationController())
        try api.register(collection: UserController())
        try api.register(collection: RoleController())
        try api.register(collection: ApplicationController(platform: platform))
        try api.register(collection: RecordController())
        try api.register(collection: VerificationRecordController(platform: platform))
    }
}
