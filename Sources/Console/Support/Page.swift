import Fluent
import Platform
import Vapor

/// `?page=&size=` of every list, and its answer `{"items","total","page","size"}`.
struct PageRequest: Content {
    var page: Int?
    var size: Int?

    var number: Int { max(1, page ?? 1) }
    var perPage: Int { min(100, max(1, size ?? 20)) }
}

struct Page<Item: Content>: Content {
    var items: [Item]
    var total: Int
    var page: Int
    var size: Int
}

/// One page of rows and the total across all pages.
struct RowPage<Row> {
    var items: [Row]
    var total: Int
    var page: Int
    var size: Int
}

extension QueryBuilder {
    func page(_ request: PageRequest) async throws -> RowPage<Model> {
        let total = try await copy().count()
        let rows = try await range((request.number - 1) * request.perPage ..< request.number * request.perPage).all()
        return RowPage(items: rows, total: total, page: request.number, size: request.perPage)
    }

    func page<Item: Content>(_ request: PageRequest, _ transform: (Model) throws -> Item) async throws -> Page<Item> {
        let rows = try await page(request)
        return Page(items: try rows.items.map(transform), total: rows.total, page: rows.page, size: rows.size)
    }
}

/// A text field from a form: trimmed, non-empty, bounded. Anything is stored as typed (the
/// console renders it as text); only length and control characters are refused.
func requireText(_ value: String?, _ field: String, max: Int = 200) throws -> String {
    let text = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    guard !text.isEmpty else { throw PlatformFailure.invalid("'\(field)' is required") }
    guard text.count <= max else { throw PlatformFailure.invalid("'\(field)' is longer than \(max) characters") }
    guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
        throw PlatformFailure.invalid("'\(field)' contains control characters")
    }
    return text
}
