import Foundation

/// Inlines ephemeral models into a query as CTEs exactly as dbt's `inject_ctes_into_sql`
/// (dbt-core `compilation.py`) does with sqlparse, so `target/compiled` matches `dbt compile`.
///
/// Each CTE is written ` __dbt__cte__<name> as (\n<sql>\n)` and they are joined with `, `.
/// When the query has a top-level `WITH` (or `WITH RECURSIVE`), the CTEs are inserted before the
/// first token after it (after its whitespace) followed by `, `; otherwise `with` is inserted
/// before the first token (comments count as tokens) and the CTEs plus a space follow it.
///
/// Example: `select * from __dbt__cte__a` with one CTE → `with __dbt__cte__a as (\nselect 1\n) select * from __dbt__cte__a`.
///
/// - Parameters:
///   - sql: the compiled query.
///   - ctes: (name as written in the query, e.g. `__dbt__cte__stg`, compiled SQL), in dependency order.
/// - Returns: the query with the CTEs inlined; `sql` unchanged when `ctes` is empty.
package func injectCTEs(into sql: String, _ ctes: [(name: String, sql: String)]) -> String {
    guard !ctes.isEmpty else { return sql }
    let cteText = ctes.map { " \($0.name) as (\n\($0.sql)\n)" }.joined(separator: ", ")
    let scanner = TopLevelScanner(sql)
    if let withEnd = scanner.endOfLeadingWith() {
        var insertAt = withEnd
        while insertAt < sql.endIndex && sql[insertAt].isWhitespace { insertAt = sql.index(after: insertAt) }
        return sql[..<insertAt] + cteText + ", " + sql[insertAt...]
    }
    let first = scanner.firstTokenStart() ?? sql.endIndex
    return sql[..<first] + "with" + cteText + " " + sql[first...]
}

/// Finds top-level keywords, skipping comments, strings and parenthesised text.
private struct TopLevelScanner {
    let sql: String
    init(_ sql: String) { self.sql = sql }

    /// The index after the first top-level `WITH` (or `WITH RECURSIVE`), if any.
    func endOfLeadingWith() -> String.Index? {
        var withEnd: String.Index?
        var result: String.Index?
        forEachTopLevelWord { word, range in
            let upper = word.uppercased()
            if withEnd == nil {
                if upper == "WITH" { withEnd = range.upperBound; result = range.upperBound }
                return true
            }
            if upper == "RECURSIVE" { result = range.upperBound }
            return false
        }
        return result
    }

    /// The start of the first token that is not whitespace (a comment is a token, as in sqlparse).
    func firstTokenStart() -> String.Index? {
        var index = sql.startIndex
        while index < sql.endIndex {
            let char = sql[index]
            if char.isWhitespace {
                index = sql.index(after: index)
            } else {
                return index
            }
        }
        return nil
    }

    /// Calls `body` with each top-level word until it returns false.
    private func forEachTopLevelWord(_ body: (Substring, Range<String.Index>) -> Bool) {
        var index = sql.startIndex
        var depth = 0
        while index < sql.endIndex {
            let char = sql[index]
            if sql[index...].hasPrefix("--") {
                index = sql[index...].firstIndex(of: "\n") ?? sql.endIndex
                continue
            }
            if sql[index...].hasPrefix("/*") {
                guard let end = sql[sql.index(index, offsetBy: 2)...].range(of: "*/") else { return }
                index = end.upperBound
                continue
            }
            if char == "'" || char == "\"" || char == "`" {
                var next = sql.index(after: index)
                while next < sql.endIndex && sql[next] != char { next = sql.index(after: next) }
                index = next < sql.endIndex ? sql.index(after: next) : next
                continue
            }
            if char == "(" { depth += 1 } else if char == ")" { depth = max(0, depth - 1) }
            if char.isLetter || char == "_" {
                var end = index
                while end < sql.endIndex && (sql[end].isLetter || sql[end].isNumber || sql[end] == "_") {
                    end = sql.index(after: end)
                }
                if depth == 0 && !body(sql[index..<end], index..<end) { return }
                index = end
                continue
            }
            index = sql.index(after: index)
        }
    }
}
