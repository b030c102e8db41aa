import Foundation
import Platform
import Vapor

/// Serves the console's static files from the module's `Web` folder with a strict
/// Content-Security-Policy: the pages run only their own scripts and styles.
struct ConsoleAssets: RouteCollection {
    let assets = StaticAssets(
        root: Bundle.module.resourceURL!.appendingPathComponent("Web"),
        contentSecurityPolicy: "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")

    func boot(routes: any RoutesBuilder) throws {
        // "/console" and "/console/" are one route to RoutingKit (empty components drop out).
        routes.get("console") { try assets.serve("index.html", $0) }
        routes.get("console", "assets", "**") { request in
            try assets.serve(request.parameters.getCatchall().joined(separator: "/"), request)
        }
    }
}
