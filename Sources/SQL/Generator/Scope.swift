/// A generated SQL fragment and its BigQuery type (nil: unknown).
struct Typed {
    var sql: String
    var type: SQLType?
    /// The value of a string literal, kept so that a comparison with a DATE/TIMESTAMP can coerce
    /// it at translation time, as BigQuery does.
    var literal: String?
    /// Whether the fragment is an aggregate or window call (used by ROLLUP and QUALIFY rewrites).
    var isConstant = false

    init(_ sql: String, _ type: SQLType?, literal: String? = nil) {
        self.sql = sql
        self.type = type
        self.literal = literal
    }
}

/// One relation visible in a FROM clause.
struct Source {
    /// The name it is referred to by, lower-cased (BigQuery names are case-insensitive).
    var name: String
    /// The quoted alias emitted in SQLite.
    var qualifier: String
    /// Its columns, when known.
    var columns: [SQLColumn]?
    /// For `UNNEST(…) AS x [WITH OFFSET AS o]`: the element's type and the offset's name.
    var isUnnest = false
    var elementType: SQLType?
    var offsetName: String?
    /// Columns not repeated by `SELECT *` (the right side of `JOIN … USING`).
    var hiddenForStar: Set<String> = []
}

/// The names visible at one level of a query, and the enclosing levels (correlated subqueries).
final class Scope {
    var sources: [Source] = []
    let parent: Scope?
    /// SELECT-list aliases, usable in GROUP BY, HAVING, QUALIFY and ORDER BY.
    var selectAliases: [String: Typed] = [:]
    /// Whether select aliases win over columns (ORDER BY).
    var aliasesFirst = false

    init(parent: Scope?) {
        self.parent = parent
    }

    /// Whether every source at this level has known columns.
    var allKnown: Bool { sources.allSatisfy { $0.columns != nil || $0.isUnnest } }
}

/// A CTE visible to the query being generated.
final class CTEInfo {
    let name: String
    let emitted: String
    var columns: [SQLColumn]?
    var references = 0
    var readsView = false

    init(name: String, emitted: String, columns: [SQLColumn]?) {
        self.name = name
        self.emitted = emitted
        self.columns = columns
    }
}

/// Quotes an identifier for SQLite: double quotes, embedded quotes doubled.
func quoteIdentifier(_ name: String) -> String {
    if !name.utf8.contains(UInt8(ascii: "\"")) { return "\"" + name + "\"" }
    return "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

/// A SQLite string literal.
func quoteString(_ text: String) -> String {
    if !text.utf8.contains(UInt8(ascii: "'")) { return "'" + text + "'" }
    return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
}
