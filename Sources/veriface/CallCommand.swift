import ArgumentParser
import Foundation

/// `veriface call PATH field=value … field=@file`: one signed request to a running server,
/// for people trying the API from a shell (curl cannot compute a TC3 signature).
struct Call: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send one TC3-signed JSON request to a Veriface server and print the answer.",
        discussion: """
        Fields: name=value (numbers, true/false and JSON arrays or objects are sent as JSON values, \
        anything else as text) and name=@file (the file's bytes as base64, for images).
        Example: veriface call /v1/faces/compare imageA=@a.jpg imageB=@b.jpg
        """)

    @Argument(help: "API path, e.g. /v1/faces/compare.") var path: String
    @Argument(help: "Body fields: name=value or name=@file.") var fields: [String] = []
    @ArgumentParser.Option(help: "Server address.") var server = ProcessInfo.processInfo.environment["VERIFACE_URL"] ?? "http://127.0.0.1:8080"
    @ArgumentParser.Option(help: "SecretId (default: $VERIFACE_SECRET_ID).") var secretId = ProcessInfo.processInfo.environment["VERIFACE_SECRET_ID"] ?? ""
    @ArgumentParser.Option(help: "SecretKey (default: $VERIFACE_SECRET_KEY; prefer the variable: arguments show in `ps`).")
    var secretKey = ProcessInfo.processInfo.environment["VERIFACE_SECRET_KEY"] ?? ""
    @ArgumentParser.Option(help: "X-TC-Action header, e.g. CompareFace (default: none; the call log names the path's action).") var action: String?

    func run() async throws {
        let client = try SignedClient(server: server, secretID: secretId, secretKey: secretKey)
        let body = try JSONSerialization.data(withJSONObject: try Self.body(fields), options: [.sortedKeys])
        let (status, answer) = try await client.send("POST", path, body: body, action: action)
        print(answer)
        if status >= 400 { throw ExitCode(1) }
    }

    static func body(_ fields: [String]) throws -> [String: Any] {
        var body: [String: Any] = [:]
        for field in fields {
            guard let equals = field.firstIndex(of: "=") else { throw ValidationError("'\(field)' is not name=value") }
            let name = String(field[..<equals]), value = String(field[field.index(after: equals)...])
            if value.hasPrefix("@") {
                body[name] = try Data(contentsOf: URL(fileURLWithPath: String(value.dropFirst()))).base64EncodedString()
            } else if value.hasPrefix("[") || value.hasPrefix("{"),
                      let parsed = try? JSONSerialization.jsonObject(with: Data(value.utf8)) {
                body[name] = parsed
            } else if let number = Double(value) {
                body[name] = number == number.rounded() && abs(number) < 1e15 ? Int(number) as Any : number
            } else if value == "true" || value == "false" {
                body[name] = value == "true"
            } else {
                body[name] = value
            }
        }
        return body
    }
}
