import Foundation
import Vapor

/// Serves the console's static files from the module's `Web` folder with a strict
/// Content-Security-Policy: the pages run only their own scripts and styles.
struct ConsoleAssets: RouteCollection {
    let root: URL

    init() {
        root = Bundle.module.resourceURL!.appendingPathComponent("Web")
    }

    static let securityHeaders: [(String, String)] = [
        ("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
    ]

    func boot(routes: any RoutesBuilder) throws {
        // "/console" and "/console/" are one route to RoutingKit (empty components drop out).
        routes.get("console") { try serve("index.html", $0) }
        routes.get("console", "assets", "**") { request in
            try serve(request.parameters.getCatchall().joined(separator: "/"), request)
        }
    }

    func serve(_ relative: String, _ request: Request) throws -> Response {
        let components = relative.split(separator: "/")
        guard !components.isEmpty, !components.contains(where: { $0.hasPrefix(".") }) else { throw Abort(.notFound) }
        let url = root.appendingPathComponent(relative).standardizedFileURL
        guard url.path.hasPrefix(root.standardizedFileURL.path + "/"), let data = FileManager.default.contents(atPath: url.path) else {
            throw Abort(.notFound)
        }
        let response = Response(status: .ok, body: .init(data: data))
        let type = HTTPMediaType.fileExtension(url.pathExtension) ?? .binary
        response.headers.contentType = type
        for (name, value) in Self.securityHeaders { response.headers.replaceOrAdd(name: name, value: value) }
        // The page itself is never cached, so a new release reaches every browser at once.
        response.headers.replaceOrAdd(name: .cacheControl, value: relative == "index.html" ? "no-store" : "no-cache")
        return response
    }
}
