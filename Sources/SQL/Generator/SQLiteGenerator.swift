/// Writes SQLite SQL (plus the `bq_*` functions `WarehouseSQLite` registers) for a GoogleSQL
/// AST, keeping BigQuery's semantics. The dialect-independent core (query structure, SELECT,
/// FROM, scopes, name resolution, shared expression kinds, INSERT/UPDATE/DELETE) is
/// ``SQLGenerator``'s default implementations; this generator supplies only what SQLite spells
/// differently. This file: the query-structure hooks (CTE materialization, ROLLUP as a union,
/// `json_each` for UNNEST, ORDER BY); `+Expressions` (operators, literals, coercions),
/// `+Functions` (the function table), `+Statements` (DDL, MERGE).
///
/// Generation and typing are one pass: every fragment comes back with its BigQuery type
/// (<https://cloud.google.com/bigquery/docs/reference/standard-sql/data-types>), which picks the
/// emitted semantics (integer overflow checks, temporal coercions) and the declared types of
/// created tables.
final class SQLiteGenerator: SQLGenerator {
    let catalog: SQLCatalog
    let dialect: SQLDialect
    var counter = 0
    /// Visible CTEs, innermost last.
    var ctes: [CTEInfo] = []
    /// How many references to views were generated so far (a CTE whose body adds one reads a view).
    var viewReads = 0
    /// Named windows of the select being generated (`WINDOW w AS (…)`).
    var windowDefinitions: [String: Window] = [:]

    init(catalog: SQLCatalog, dialect: SQLDialect = .bigQuery) {
        self.catalog = catalog
        self.dialect = dialect
    }

    // MARK: - Query structure

    func unsupported(_ construct: String, _ location: SourceLocation) -> SQLError {
        SQLError.unsupported(construct, location)
    }

    /// SQLite inlines a CTE used once; one read twice, or one reading a view, is computed once
    /// instead (https://www.sqlite.org/lang_with.html#materialization_hints).
    func materializationHint(_ info: CTEInfo, recursive: Bool) -> String {
        !recursive && (info.references > 1 || info.readsView) ? "MATERIALIZED " : ""
    }

    /// SQLite needs no alias on a subquery in FROM.
    func derivedTableAlias(_ prefix: String) -> String { "" }

    /// A compound operand is wrapped: SQLite allows neither parentheses nor ORDER BY on an operand.
    func nestedSetOperand(_ sql: String) -> String { "SELECT * FROM (\n\(sql)\n)" }

    /// SQLite's GROUP BY takes no ordinal: the ordinal's expression is written.
    func groupOrdinal(_ text: String, select: Select, items: [(sql: String, column: SQLColumn)], unexpandedStar: Bool, location: SourceLocation) throws -> String {
        guard let ordinal = Int(text), ordinal >= 1, ordinal <= items.count, !unexpandedStar else {
            throw SQLError(.semantic, construct: "GROUP BY", message: "GROUP BY ordinal \(text) is out of range", location: location)
        }
        return items[ordinal - 1].sql
    }

    func grouping(select: Select, head: String, items: [(sql: String, column: SQLColumn)], groupSQL: [String], rest: inout String, scope: Scope) throws -> String? {
        var having: String?
        if let condition = select.having { having = try predicate(condition, scope: scope) }
        if select.rollup {
            if select.qualify != nil { throw SQLError.unsupported("QUALIFY with GROUP BY ROLLUP", select.location) }
            return rollup(select: select, items: items, groupSQL: groupSQL, rest: rest, having: having)
        }
        if !groupSQL.isEmpty { rest += "\nGROUP BY " + groupSQL.joined(separator: ", ") }
        if let having { rest += "\nHAVING " + having }
        return nil
    }

    /// `GROUP BY ROLLUP(a, b)`: the union of the groupings `(a, b)`, `(a)` and `()`, with the
    /// rolled-up columns NULL (https://cloud.google.com/bigquery/docs/reference/standard-sql/query-syntax#group_by_rollup).
    private func rollup(select: Select, items: [(sql: String, column: SQLColumn)], groupSQL: [String], rest: String, having: String?) -> String {
        var parts: [String] = []
        for level in stride(from: groupSQL.count, through: 0, by: -1) {
            let kept = Array(groupSQL.prefix(level))
            let dropped = Set(groupSQL.dropFirst(level))
            let list = items.map { item -> String in
                let value = dropped.contains(item.sql) ? "NULL" : item.sql
                return "\(value) AS \(quoteIdentifier(item.column.name))"
            }.joined(separator: ", ")
            var part = "SELECT " + (select.distinct ? "DISTINCT " : "") + list + rest
            if !kept.isEmpty { part += "\nGROUP BY " + kept.joined(separator: ", ") }
            if let having { part += "\nHAVING " + having }
            parts.append(part)
        }
        return "SELECT * FROM (\n" + parts.joined(separator: "\nUNION ALL\n") + "\n)"
    }

    /// `json_each` names an array element `value` and its 0-based index `key`.
    func unnestValueSQL(_ source: Source) -> String { fromJSONValue("\(source.qualifier).value", source.elementType) }

    func unnestOffsetSQL(_ source: Source) -> String { "\(source.qualifier).key" }

    /// `col`, or a path starting with the target's alias (the last part is the column).
    func isColumnAssignment(_ path: [String], alias: String) -> Bool {
        path.count == 1 || path.first?.lowercased() == alias.lowercased()
    }

    /// The one SQLite identifier of a BigQuery table path (`"dataset.table"`).
    func relationSQL(_ path: [String]) -> String { quoteIdentifier(relationName(path)) }

    /// The table's identifier, counting view reads.
    func tableSQL(_ path: [String]) -> String {
        if catalog.isView(relationName(path)) { viewReads += 1 }
        return relationSQL(path)
    }

    func unnestElementType(_ array: Typed, location: SourceLocation) throws -> SQLType? {
        if case .array(let inner) = array.type { return inner }
        return nil
    }

    func unnestSQL(_ array: String, qualifier: String, withOffset: Bool) -> String {
        "json_each(\(array)) AS \(qualifier)"
    }

    var alwaysTrue: String { "1" }

    func orderItems(_ items: [OrderItem], scope: Scope, outputColumns: [SQLColumn], isCompound: Bool) throws -> String {
        try items.map { item in
            var sql: String
            if case .integer(let text) = item.expression.kind, let ordinal = Int(text) {
                guard ordinal >= 1, outputColumns.isEmpty || ordinal <= outputColumns.count else {
                    throw SQLError(.semantic, construct: "ORDER BY", message: "ORDER BY ordinal \(text) is out of range", location: item.expression.location)
                }
                sql = String(ordinal)
            } else if isCompound, case .column(let parts) = item.expression.kind, parts.count == 1 {
                sql = quoteIdentifier(parts[0])
            } else {
                sql = try expression(item.expression, scope: scope).sql
            }
            if item.descending { sql += " DESC" }
            if let first = item.nullsFirst { sql += first ? " NULLS FIRST" : " NULLS LAST" }
            return sql
        }.joined(separator: ", ")
    }
}

extension String {
    /// `self` with every occurrence of `target` replaced (Foundation-free).
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let found = rest.firstRange(of: target) {
            result += rest[..<found.lowerBound]
            result += replacement
            rest = rest[found.upperBound...]
        }
        return result + rest
    }
}
