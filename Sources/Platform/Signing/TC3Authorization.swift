import Foundation

/// The parsed `Authorization` header:
/// `TC3-HMAC-SHA256 Credential=ID/DATE/SERVICE/tc3_request, SignedHeaders=a;b, Signature=hex`.
public struct TC3Authorization: Sendable, Equatable {
    public var secretID: String
    public var date: String
    public var service: String
    public var signedHeaders: [String]
    public var signature: String

    public init?(header: String) {
        let prefix = TC3Signature.algorithm + " "
        guard header.hasPrefix(prefix) else { return nil }
        var fields: [String: String] = [:]
        for part in header.dropFirst(prefix.count).split(separator: ",") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { return nil }
            fields[String(pair[0])] = String(pair[1])
        }
        guard let credential = fields["Credential"], let signed = fields["SignedHeaders"], let signature = fields["Signature"]
        else { return nil }
        let scope = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard scope.count == 4, scope[3] == "tc3_request", !scope[0].isEmpty, !scope[2].isEmpty,
              signature.count == 64, signature.allSatisfy(\.isHexDigit)
        else { return nil }
        self.secretID = scope[0]
        self.date = scope[1]
        self.service = scope[2]
        self.signedHeaders = signed.split(separator: ";").map { $0.lowercased() }
        self.signature = signature.lowercased()
    }
}
