import Foundation
import JWTKit

/// A provider's signature keys, as jwt-kit's key collection plus the key IDs it holds.
struct OIDCSigningKeys: Sendable {
    private static let supportedKeyTypes: Set<String> = ["RSA", "EC", "OKP"]

    let collection: JWTKeyCollection
    let keyIDs: Set<String>

    /// Keys meant for encryption or of types jwt-kit cannot verify with are skipped rather than
    /// failing the whole set, since providers publish those alongside their signing keys.
    init(jwks data: Data) async throws(OIDCError) {
        guard let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let rawKeys = document["keys"] as? [[String: Any]]
        else { throw .discoveryFailed("the JWKS document is not a key set") }

        let collection = JWTKeyCollection()
        var keyIDs: Set<String> = []
        for (index, var rawKey) in rawKeys.enumerated() {
            guard let keyType = rawKey["kty"] as? String, Self.supportedKeyTypes.contains(keyType),
                (rawKey["use"] as? String ?? "sig") == "sig"
            else { continue }
            // jwt-kit files keys by kid; a provider with a single key may leave it out.
            let keyID = rawKey["kid"] as? String ?? "unnamed-\(index)"
            rawKey["kid"] = keyID
            guard let keyData = try? JSONSerialization.data(withJSONObject: rawKey),
                let key = try? JSONDecoder().decode(JWK.self, from: keyData),
                (try? await collection.add(jwk: key)) != nil
            else { continue }
            keyIDs.insert(keyID)
        }
        guard !keyIDs.isEmpty else { throw .discoveryFailed("the JWKS document has no usable signing key") }
        self.collection = collection
        self.keyIDs = keyIDs
    }
}
