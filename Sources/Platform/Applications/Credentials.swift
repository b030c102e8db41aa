import Fluent
import Foundation

/// Issues SecretId/SecretKey pairs. The key is returned once and stored only sealed.
public enum Credentials {
    public struct Issued: Sendable, Codable {
        public var secretId: String
        public var secretKey: String

        public init(secretId: String, secretKey: String) {
            self.secretId = secretId
            self.secretKey = secretKey
        }
    }

    public static func issue(for application: ApplicationModel, key: DataKey, on db: any Database) async throws -> Issued {
        // Tencent's shape: "AKID" + 32 characters for the id, 32 for the key.
        let secretID = "AKID" + RandomText.make(32)
        let secretKey = RandomText.make(32)
        let sealed = try key.seal(Data(secretKey.utf8), context: "credential:\(secretID)")
        try await CredentialModel(application: application, secretID: secretID, sealedSecretKey: sealed).create(on: db)
        return Issued(secretId: secretID, secretKey: secretKey)
    }
}
