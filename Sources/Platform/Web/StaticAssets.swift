import Foundation
import Vapor

/// Static files of one folder (a module's web pages) with security headers: only paths
/// inside the folder, no hidden files, the page itself never cached.
public struct StaticAssets: Sendable {
    public let root: URL
    public let headers: [(String, String)]
    /// The page a browser opens first; never cached, so a new release reaches every browser at once.
    public let page: String

    public init(root: URL, contentSecurityPolicy: String, page: String = "index.html") {
        self.root = root
        self.page = page
        headers = [
            ("Content-Security-Policy", contentSecurityPolicy),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "same-origin"),
        ]
    }

    public func serve(_ relative: String, _ request: Request) throws -> Response {
        let components = relative.split(separator: "/")
        guard !components.isEmpty, !components.contains(where: { $0.hasPrefix(".") }) else { throw Abort(.notFound) }
        let url = root.appendingPathComponent(relative).standardizedFileURL
        guard url.path.hasPrefix(root.standardizedFileURL.path + "/"), let data = FileManager.default.contents(atPath: url.path) else {
            throw Abort(.notFound)
        }
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.contentType = HTTPMediaType.fileExtension(url.pathExtension) ?? .binary
        for (name, value) in headers { response.headers.replaceOrAdd(name: name, value: value) }
        response.headers.replaceOrAdd(name: .cacheControl, value: relative == page ? "no-store" : "no-cache")
        return response
    }
}
