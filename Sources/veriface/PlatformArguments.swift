import ArgumentParser
import Foundation
import Platform

/// Options of every command that opens the platform's database.
struct PlatformArguments: ParsableArguments {
    @ArgumentParser.Option(help: "Data folder: SQLite database, data key, blobs (default: $VERIFACE_DATA or ~/.local/share/veriface/data).")
    var data: String?

    @ArgumentParser.Option(help: "PostgreSQL URL, postgres://user:password@host:port/database (default: $VERIFACE_DATABASE_URL, else SQLite in the data folder).")
    var databaseURL: String?

    func settings() throws -> PlatformSettings {
        try PlatformSettings.fromEnvironment(dataDirectory: data.map { URL(fileURLWithPath: $0) }, databaseURL: databaseURL)
    }
}
