import Foundation

/// Checks of the integrator's ids and texts.
enum Validate {
    /// Ids are the integrator's keys: 1-64 characters of letters, digits, `-`, `_`, `.`, `@`.
    static func id(_ value: String, _ field: String) throws -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_.@"))
        guard (1...64).contains(value.count), value.unicodeScalars.allSatisfy({ allowed.contains($0) && $0.isASCII }) else {
            throw GalleryFailure.invalid("\(field) must be 1-64 characters of letters, digits, '-', '_', '.', '@'")
        }
        return value
    }

    static func text(_ value: String, _ field: String, allowEmpty: Bool = false, max: Int = 120) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard allowEmpty || !trimmed.isEmpty else { throw GalleryFailure.invalid("\(field) is required") }
        guard trimmed.count <= max else { throw GalleryFailure.invalid("\(field) is longer than \(max) characters") }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw GalleryFailure.invalid("\(field) contains control characters")
        }
        return trimmed
    }

    /// 0 unknown, 1 male, 2 female (Tencent's convention).
    static func gender(_ value: Int) throws -> Int {
        guard (0...2).contains(value) else { throw GalleryFailure.invalid("gender must be 0, 1 or 2") }
        return value
    }

    static func customValues(_ values: [String: String], allowed: [String]) throws -> [String: String] {
        for (name, value) in values {
            guard allowed.contains(name) else { throw GalleryFailure.invalid("'\(name)' is not a custom field of the group") }
            _ = try text(value, name, allowEmpty: true, max: 500)
        }
        return values
    }

    static func range(page: Int, size: Int) -> Range<Int> {
        let size = min(100, max(1, size)), page = max(1, page)
        return (page - 1) * size ..< page * size
    }
}
