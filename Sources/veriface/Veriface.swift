import ArgumentParser

/// `veriface`: the server, and the engine's command-line tools.
@main
struct Veriface: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "veriface",
        abstract: "Self-hosted face identity verification.",
        subcommands: [Serve.self, Migrate.self, Admin.self, Call.self, GalleryCommand.self, Detect.self, Compare.self, StaticLivenessCommand.self, Eval.self, Bench.self],
        defaultSubcommand: Serve.self)
}
