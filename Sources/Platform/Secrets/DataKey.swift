import Crypto
import Foundation

/// The 256-bit key that encrypts biometric blobs and API secret keys at rest.
/// It lives in its own file (mode 0600) under the data folder, never in the database or a
/// log, so a copy of the database alone reveals nothing.
public struct DataKey: Sendable {
    let key: SymmetricKey

    public init(key: SymmetricKey) { self.key = key }

    /// Reads `data.key`, or creates it with fresh random bytes on first start.
    public static func loadOrCreate(in directory: URL) throws -> DataKey {
        let url = directory.appendingPathComponent("data.key")
        let fm = FileManager.default
        if fm.fileExists(atPath: url.path) {
            let attributes = try fm.attributesOfItem(atPath: url.path)
            if let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0 {
                throw PlatformError.keyFile("\(url.path) is readable by other users (mode \(String(mode, radix: 8))); chmod 600 it")
            }
            let text = try String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let bytes = Data(base64Encoded: text), bytes.count == 32 else {
                throw PlatformError.keyFile("\(url.path) does not hold a base64 256-bit key")
            }
            return DataKey(key: SymmetricKey(data: bytes))
        }
        try fm.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let key = SymmetricKey(size: .bits256)
        let text = key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
        // Created with 0600 from the start: no window in which another user could read it.
        guard fm.createFile(atPath: url.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw PlatformError.keyFile("cannot create \(url.path)")
        }
        return DataKey(key: key)
    }

    /// AES-256-GCM; `context` is authenticated so a sealed value cannot be moved to another row.
    public func seal(_ plaintext: Data, context: String) throws -> Data {
        try AES.GCM.seal(plaintext, using: key, authenticating: Data(context.utf8)).combined!
    }

    public func open(_ sealed: Data, context: String) throws -> Data {
        try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key, authenticating: Data(context.utf8))
    }
}
