import ArgumentParser
import Foundation

/// `veriface gallery import FOLDER --group G`: bulk enrolment through a running server's
/// signed API (so its index changes live), one sub-folder per person.
struct GalleryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gallery", abstract: "Manage person groups.", subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enrol one person per sub-folder of FOLDER (folder name = personId; up to 5 photos each) into a group.")

        @Argument(help: "Folder with one sub-folder of photos per person.") var folder: String
        @ArgumentParser.Option(help: "Group id (created when missing).") var group: String
        @ArgumentParser.Option(help: "Server address.") var server = ProcessInfo.processInfo.environment["VERIFACE_URL"] ?? "http://127.0.0.1:8080"
        @ArgumentParser.Option(help: "SecretId (default: $VERIFACE_SECRET_ID).") var secretId = ProcessInfo.processInfo.environment["VERIFACE_SECRET_ID"] ?? ""
        @ArgumentParser.Option(help: "SecretKey (default: $VERIFACE_SECRET_KEY).") var secretKey = ProcessInfo.processInfo.environment["VERIFACE_SECRET_KEY"] ?? ""

        func run() async throws {
            let client = try SignedClient(server: server, secretID: secretId, secretKey: secretKey)
            let root = URL(fileURLWithPath: folder)
            let people = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
                .filter { (try? root.appendingPathComponent($0).resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true }
            let created = try await client.send("POST", "/v1/groups", body: try json(["groupId": group, "name": group]))
            guard created.status == 200 || created.body.contains("\"Code\":4009") else { throw ValidationErrorText("cannot create group \(group): \(created.body)") }

            var enrolled = 0, faces = 0
            var failures: [String] = []
            let started = Date()
            for (number, person) in people.enumerated() {
                let photos = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(person).path).sorted()
                    .filter { ["jpg", "jpeg", "png", "bmp", "webp"].contains(($0 as NSString).pathExtension.lowercased()) }.prefix(5)
                    .map { root.appendingPathComponent(person).appendingPathComponent($0) }
                let personID = String(person.map { $0.isLetter || $0.isNumber || "-_.@".contains($0) ? $0 : "-" }.prefix(64))
                if let first = photos.first {
                    let answer = try await client.send("POST", "/v1/persons", body: try json([
                        "groupId": group, "personId": personID, "personName": person, "image": try Data(contentsOf: first).base64EncodedString()]))
                    if answer.status == 200 {
                        enrolled += 1
                        faces += 1
                        if photos.count > 1 {
                            let more = try photos.dropFirst().map { try Data(contentsOf: $0).base64EncodedString() }
                            let added = try await client.send("POST", "/v1/persons/\(personID)/faces", body: try json(["images": more]))
                            if added.status == 200 { faces += more.count } else { failures.append("\(person) (more faces): \(added.body)") }
                        }
                    } else {
                        failures.append("\(person): \(answer.body)")
                    }
                }
                let rate = Double(number + 1) / max(0.001, Date().timeIntervalSince(started))
                FileHandle.standardError.write(Data("\rimport: \(number + 1)/\(people.count) people, \(String(format: "%.1f", rate))/s".utf8))
            }
            FileHandle.standardError.write(Data("\n".utf8))
            print("imported \(enrolled) of \(people.count) people (\(faces) faces) into group \(group)")
            for failure in failures.prefix(20) { print("  not imported: \(failure)") }
            if !failures.isEmpty { throw ExitCode(1) }
        }

        func json(_ object: [String: Any]) throws -> Data { try JSONSerialization.data(withJSONObject: object) }
    }
}
