import Foundation

/// The LFW View 2 pairs protocol: folds of same-person then different-person pairs.
public struct LFWPairs: Sendable {
    public struct Pair: Sendable, Hashable {
        public var first: String   // path relative to the images folder
        public var second: String
        public var same: Bool
        public var fold: Int
    }

    public var folds: Int
    public var pairs: [Pair]

    /// All images the pairs use, in a stable order.
    public var images: [String] { Array(Set(pairs.flatMap { [$0.first, $0.second] })).sorted() }

    public static func imagePath(_ name: String, _ number: Int) -> String {
        "\(name)/\(name)_\(String(format: "%04d", number)).jpg"
    }

    /// Parses `pairs.txt` (header "folds count", then per fold `count` matched lines
    /// "name i j" and `count` mismatched lines "name1 i name2 j").
    public init(contentsOf url: URL) throws {
        let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline)
            .map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) }
            .filter { !$0.isEmpty }
        guard let header = lines.first, header.count == 2, let folds = Int(header[0]), let perFold = Int(header[1]) else {
            throw EvaluationError.badInput("\(url.path): first line must be '<folds> <pairs per fold>'")
        }
        var pairs: [Pair] = []
        var index = 1
        for fold in 0..<folds {
            for same in [true, false] {
                for _ in 0..<perFold {
                    guard index < lines.count else { throw EvaluationError.badInput("\(url.path): ends early in fold \(fold + 1)") }
                    let f = lines[index]
                    index += 1
                    if same, f.count == 3, let i = Int(f[1]), let j = Int(f[2]) {
                        pairs.append(Pair(first: Self.imagePath(f[0], i), second: Self.imagePath(f[0], j), same: true, fold: fold))
                    } else if !same, f.count == 4, let i = Int(f[1]), let j = Int(f[3]) {
                        pairs.append(Pair(first: Self.imagePath(f[0], i), second: Self.imagePath(f[2], j), same: false, fold: fold))
                    } else {
                        throw EvaluationError.badInput("\(url.path): line \(index) is not a \(same ? "matched" : "mismatched") pair")
                    }
                }
            }
        }
        self.folds = folds
        self.pairs = pairs
    }
}

public enum EvaluationError: Error, CustomStringConvertible {
    case badInput(String)
    public var description: String {
        switch self { case .badInput(let m): m }
    }
}
