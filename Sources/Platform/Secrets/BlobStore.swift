import Crypto
import Foundation

/// Images and audit frames on the local disk, each file sealed with the data key.
/// A blob's id is random; the file name is the id, and the id is authenticated with the
/// content so that swapping two files on disk is detected.
public struct BlobStore: Sendable {
    public let directory: URL
    let key: DataKey

    public init(directory: URL, key: DataKey) throws {
        self.directory = directory
        self.key = key
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    public func put(_ data: Data) throws -> String {
        let id = UUID().uuidString.lowercased()
        let url = path(for: id)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        // Written to a temporary name and renamed: a crash never leaves half a blob under its id.
        let temporary = url.appendingPathExtension("partial")
        try key.seal(data, context: "blob:\(id)").write(to: temporary, options: .atomic)
        try FileManager.default.moveItem(at: temporary, to: url)
        return id
    }

    public func get(_ id: String) throws -> Data {
        guard Self.isValidID(id) else { throw BlobError.notFound }
        let url = path(for: id)
        guard let sealed = FileManager.default.contents(atPath: url.path) else { throw BlobError.notFound }
        do { return try key.open(sealed, context: "blob:\(id)") } catch { throw BlobError.corrupted(id) }
    }

    public func delete(_ id: String) throws {
        guard Self.isValidID(id) else { return }
        try? FileManager.default.removeItem(at: path(for: id))
    }

    func path(for id: String) -> URL {
        directory.appendingPathComponent(String(id.prefix(2))).appendingPathComponent(id)
    }

    /// Ids come from callers; only our own UUID shape may reach the file system.
    static func isValidID(_ id: String) -> Bool {
        UUID(uuidString: id) != nil && id == id.lowercased()
    }
}

public enum BlobError: Error, Equatable {
    case notFound
    case corrupted(String)
}
