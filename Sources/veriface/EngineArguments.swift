import ArgumentParser
import FaceServices

/// Options every command that loads the engines shares.
struct EngineArguments: ParsableArguments {
    @Option(help: "Folder with the installed models (default: $VERIFACE_MODELS or ~/.local/share/veriface/models).")
    var models: String?

    @Flag(help: "Also load dlib's 68-point landmark model (its training data is licensed for non-commercial use only).")
    var landmarks68 = false

    func engineOptions(dlib: Bool = true, mesh: Bool = true, attributes: Bool = true) -> EngineOptions {
        EngineOptions(modelsDirectory: models ?? ModelLocation.resolve(), dlib: dlib || attributes,
                      landmarks68: landmarks68, mesh: mesh, attributes: attributes)
    }
}

/// Prints a report for people, then (with --json) the same figures as one JSON line.
func emit<T: Encodable>(_ report: T, json: Bool, text: () -> String) throws {
    print(text())
    if json { print(try JSONLine.encode(report)) }
}
