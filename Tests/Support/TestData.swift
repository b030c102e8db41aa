import FaceServices
import Foundation

/// The shared evaluation data (../shared/data beside the repository, or $VERIFACE_TEST_DATA)
/// and one engine set loaded once per test process.
public enum TestData {
    public static let root: URL = {
        if let explicit = ProcessInfo.processInfo.environment["VERIFACE_TEST_DATA"] {
            return URL(fileURLWithPath: explicit)
        }
        // Tests/Support/TestData.swift -> repository root -> ../shared/data
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data")
    }()

    public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    public static func bytes(_ relative: String) throws -> Data { try Data(contentsOf: url(relative)) }

    public static func image(_ relative: String) throws -> DecodedImage { try DecodedImage(bytes: bytes(relative)) }

    /// Files directly inside a folder of the data set, sorted.
    public static func files(in relative: String, extensions: Set<String> = ["jpg", "jpeg", "png", "bmp", "webp", "gif"]) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url(relative).path)
            .filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }
            .sorted()
            .map { relative + "/" + $0 }
    }

    public static let engineOptions = EngineOptions(landmarks68: true)

    /// Two workers, as on the CI machine; shared by every test of the process.
    public static let pool: EnginePool = {
        do { return try EnginePool(options: engineOptions, workers: 2) } catch {
            fatalError("cannot load the face engines (run scripts/install-models): \(error)")
        }
    }()

    public static let service = FaceService(pool: pool)

    /// Runs `body` on one of the shared engines.
    public static func withEngine<T: Sendable>(_ body: @escaping @Sendable (FaceEngine) throws -> T) async throws -> T {
        try await pool.run(body)
    }
}
