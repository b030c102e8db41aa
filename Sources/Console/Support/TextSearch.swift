import Fluent
import FluentSQL
import SQLKit

extension QueryBuilder {
    /// Rows where any of `columns` contains `text`, ignoring case, with `%`, `_` and `\` in
    /// the text taken literally (Fluent's `~~` passes them on as LIKE wildcards). The same
    /// SQL runs on SQLite and PostgreSQL.
    @discardableResult
    func containing(_ text: String, in columns: [String]) -> Self {
        let escaped = text.lowercased().replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
        let pattern = "%" + escaped + "%"
        return group(.or) { group in
            for column in columns {
                group.filter(.sql(embed: "LOWER(\(ident: column)) LIKE \(bind: pattern) ESCAPE '\\'"))
            }
        }
    }
}
