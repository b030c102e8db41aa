import ArgumentParser
import FaceServices
import Foundation
import Platform
import Vapor
import WebAPI

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP API server (the default command).")

    @ArgumentParser.Option(help: "Address to listen on.") var host = ProcessInfo.processInfo.environment["VERIFACE_HOST"] ?? "127.0.0.1"
    @ArgumentParser.Option(help: "Port to listen on.") var port = Int(ProcessInfo.processInfo.environment["VERIFACE_PORT"] ?? "") ?? 8080
    @ArgumentParser.Option(help: "Engine workers (default: one per core).") var workers = ProcessInfo.processInfo.activeProcessorCount
    @ArgumentParser.Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel = "info"
    @ArgumentParser.OptionGroup var engine: EngineArguments
    @ArgumentParser.OptionGroup var platformArguments: PlatformArguments

    func run() async throws {
        let environment = Environment(name: "production", arguments: ["veriface"])
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = Logger.Level(rawValue: logLevel) ?? .info
            return handler
        }
        let logger = Logger(label: "veriface")
        let options = engine.engineOptions()
        logger.info("loading face engines", metadata: ["workers": "\(workers)", "models": "\(options.modelsDirectory)"])
        let pool = try EnginePool(options: options, workers: max(1, workers))
        let service = FaceService(pool: pool)

        let app = try await Application.make(environment)
        app.http.server.configuration.hostname = host
        app.http.server.configuration.port = port
        do {
            let parts = try await prepare(app, settings: try platformArguments.settings(), service: service)
            if let first = parts.firstAdministrator {
                // Printed to the terminal once, never logged: the log may be shipped elsewhere.
                // Written straight to the descriptor: a piped stdout would hold it in a buffer.
                FileHandle.standardOutput.write(Data("first administrator: \(first.username)  one-time password: \(first.oneTimePassword)  (shown once; change it at the first sign-in)\n".utf8))
            }
            try configure(app, service: service, parts: parts)
            logger.info("Veriface listening on http://\(host):\(port) (console at /console/, OpenAPI at /openapi.json)")
            try await app.execute()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
        pool.shutdown()
    }
}
