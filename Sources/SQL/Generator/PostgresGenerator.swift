/// Writes PostgreSQL 15 SQL for a GoogleSQL AST, keeping BigQuery's semantics
/// (<https://cloud.google.com/bigquery/docs/reference/standard-sql/>), with no function or
/// extension to install. The dialect-independent core (query structure, SELECT, FROM, scopes,
/// name resolution, shared expression kinds, INSERT/UPDATE/DELETE) is ``SQLGenerator``'s default
/// implementations; this generator supplies only what PostgreSQL spells differently. This file:
/// the query-structure hooks (derived-table aliases, GROUP BY ROLLUP, `unnest() WITH
/// ORDINALITY`, ORDER BY with collation) and the type map. `+Expressions`: operators, literals,
/// coercions, STRUCT fields; `+Casts`; `+Functions`: the scalar function table; `+Aggregates`:
/// aggregate and window functions; `+Dates`: date and time functions; `+DateFormat` and
/// `+Parse`: FORMAT_* and PARSE_* format elements; `+FormatFunction`: FORMAT; `+Statements`: DDL
/// and MERGE.
///
/// Generation and typing are one pass, as in ``SQLiteGenerator``: every fragment comes back with
/// its BigQuery type, which picks the emitted semantics. How BigQuery values are held in
/// PostgreSQL: INT64 `bigint`, FLOAT64 `double precision`, NUMERIC/BIGNUMERIC `numeric`, BOOL
/// `boolean`, STRING `text`, BYTES `bytea`, DATE `date`, DATETIME `timestamp`, TIMESTAMP
/// `timestamptz`, TIME `time`, JSON `jsonb`, ARRAY<T> `T[]`. STRUCT values are not translated.
///
/// The generated SQL expects the session time zone `UTC` (BigQuery's): a TIMESTAMP shown as text
/// and a TIMESTAMP of unknown type converted to a DATE use it.
///
/// What PostgreSQL does differently and the SQL makes explicit: NULLs sort first ascending and
/// last descending (`NULLS FIRST/LAST` always written), strings compare by code point
/// (`COLLATE "C"`), integer literals are `bigint` (not `integer`, which overflows at 2³¹),
/// float literals `double precision` (not `numeric`), a subquery in FROM always has an alias.
final class PostgresGenerator: SQLGenerator {
    let catalog: SQLCatalog
    var counter = 0
    /// Visible CTEs, innermost last.
    var ctes: [CTEInfo] = []
    /// Named windows of the select being generated (`WINDOW w AS (…)`).
    var windowDefinitions: [String: Window] = [:]
    /// Never counted: PostgreSQL decides itself whether to materialize a CTE.
    var viewReads = 0

    init(catalog: SQLCatalog) {
        self.catalog = catalog
    }

    func refuse(_ construct: String, _ at: SourceLocation, hint: String? = nil) -> SQLError {
        SQLError.unsupportedInPostgres(construct, at, hint: hint)
    }

    // MARK: - Query structure

    func unsupported(_ construct: String, _ location: SourceLocation) -> SQLError {
        refuse(construct, location)
    }

    /// A query ordered only by its output columns (ordinals or names), wrapped so that string
    /// columns can be ordered by code point: PostgreSQL reads `ORDER BY name COLLATE "C"` as an
    /// expression over the input columns, where an output alias is not visible. Nil when some
    /// term is not an output column or the output columns are unknown or repeated.
    func sortedByOutput(_ items: [OrderItem], body: SetResult, sql: String) throws -> String? {
        guard !items.isEmpty, !body.columns.isEmpty,
              Set(body.columns.map { $0.name.lowercased() }).count == body.columns.count else { return nil }
        var terms: [String] = []
        var needsCollation = false
        for item in items {
            var index: Int?
            switch item.expression.kind {
            case .integer(let text):
                if let ordinal = Int(text), ordinal >= 1, ordinal <= body.columns.count { index = ordinal - 1 }
            case .column(let parts) where parts.count == 1:
                index = body.columns.firstIndex { $0.name.lowercased() == parts[0].lowercased() }
            default:
                break
            }
            guard let index else { return nil }
            let column = body.columns[index]
            var term = quoteIdentifier(column.name)
            if column.type == .string {
                term += " COLLATE \"C\""
                needsCollation = true
            }
            if item.descending { term += " DESC" }
            term += (item.nullsFirst ?? !item.descending) ? " NULLS FIRST" : " NULLS LAST"
            terms.append(term)
        }
        let order = "ORDER BY " + terms.joined(separator: ", ")
        if !needsCollation {
            return nil
        }
        return "SELECT * FROM (\n\(sql)\n) AS \(quoteIdentifier(fresh("sorted")))\n\(order)"
    }

    /// PostgreSQL needs an alias on every subquery in FROM.
    func derivedTableAlias(_ prefix: String) -> String {
        " AS \(quoteIdentifier(fresh(prefix)))"
    }

    /// A nested set operation is parenthesized (PostgreSQL's INTERSECT binds tighter than UNION;
    /// BigQuery asks for parentheses whenever they are mixed).
    func nestedSetOperand(_ sql: String) -> String { "(\n\(sql)\n)" }

    /// Every field must read back from JSON as the same value.
    func selectAsStruct(_ items: [(sql: String, column: SQLColumn)], location: SourceLocation) throws -> String {
        for item in items { try checkStructField(item.column.type, at: location) }
        return structObject(items.map { ($0.column.name, Typed($0.sql, $0.column.type)) })
    }

    /// PostgreSQL truncates longer names to 63 bytes: the column would not be called as in BigQuery.
    func checkOutputNames(_ items: [(sql: String, column: SQLColumn)], location: SourceLocation) throws {
        if let long = items.first(where: { $0.column.name.utf8.count > 63 }) {
            throw refuse("column name longer than 63 bytes (\(long.column.name.prefix(20))…)", location)
        }
    }

    /// PostgreSQL reads a GROUP BY ordinal as BigQuery does, but not inside ROLLUP.
    func groupOrdinal(_ text: String, select: Select, items: [(sql: String, column: SQLColumn)], unexpandedStar: Bool, location: SourceLocation) throws -> String {
        guard let ordinal = Int(text), ordinal >= 1, unexpandedStar || ordinal <= items.count else {
            throw SQLError(.semantic, construct: "GROUP BY", message: "GROUP BY ordinal \(text) is out of range", location: location)
        }
        if select.rollup {
            guard !unexpandedStar else { throw refuse("GROUP BY ROLLUP ordinal over SELECT *", location) }
            return items[ordinal - 1].sql
        }
        return String(ordinal)
    }

    func grouping(select: Select, head: String, items: [(sql: String, column: SQLColumn)], groupSQL: [String], rest: inout String, scope: Scope) throws -> String? {
        if !groupSQL.isEmpty {
            rest += "\nGROUP BY " + (select.rollup ? "ROLLUP (" + groupSQL.joined(separator: ", ") + ")" : groupSQL.joined(separator: ", "))
        }
        if let condition = select.having { rest += "\nHAVING " + (try predicate(condition, scope: scope)) }
        return nil
    }

    /// BigQuery's * over an UNNEST of STRUCTs gives the fields as columns.
    func checkStarOverUnnest(_ source: Source, location: SourceLocation) throws {
        if case .structure = source.elementType { throw refuse("SELECT * over UNNEST of STRUCTs", location) }
    }

    /// `unnest(…) WITH ORDINALITY` names the element `value` and its 1-based index `offset`.
    func unnestValueSQL(_ source: Source) -> String { "\(source.qualifier).\"value\"" }

    func unnestOffsetSQL(_ source: Source) -> String { "(\(source.qualifier).\"offset\" - 1)" }

    func unnestElementType(_ array: Typed, location: SourceLocation) throws -> SQLType? {
        guard case .array(let element) = array.type ?? .array(nil) else {
            throw SQLError(.semantic, construct: "UNNEST", message: "UNNEST needs an array", location: location)
        }
        return element
    }

    /// A function in FROM sees the items before it (implicitly LATERAL); ordinality is 1-based.
    func unnestSQL(_ array: String, qualifier: String, withOffset: Bool) -> String {
        if withOffset {
            return "unnest(\(array)) WITH ORDINALITY AS \(qualifier)(\"value\", \"offset\")"
        }
        return "unnest(\(array)) AS \(qualifier)(\"value\")"
    }

    var alwaysTrue: String { "TRUE" }

    /// ORDER BY terms with BigQuery's NULL order written out (first ascending, last descending;
    /// PostgreSQL's default is the opposite) and strings ordered by code point.
    func orderItems(_ items: [OrderItem], scope: Scope, outputColumns: [SQLColumn], isCompound: Bool) throws -> String {
        try items.map { item in
            var sql: String
            var type: SQLType?
            if case .integer(let text) = item.expression.kind, let ordinal = Int(text) {
                guard ordinal >= 1, outputColumns.isEmpty || ordinal <= outputColumns.count else {
                    throw SQLError(.semantic, construct: "ORDER BY", message: "ORDER BY ordinal \(text) is out of range", location: item.expression.location)
                }
                sql = String(ordinal)
            } else if isCompound, case .column(let parts) = item.expression.kind, parts.count == 1 {
                let output = outputColumns.first(where: { $0.name.lowercased() == parts[0].lowercased() })
                sql = quoteIdentifier(output?.name ?? parts[0])
                type = output?.type
            } else {
                let typed = try expression(item.expression, scope: scope)
                sql = typed.sql
                type = typed.type
            }
            // A bare output alias takes no COLLATE (it would be read as an input column).
            if type == .string, !scope.aliasesFirst || !outputColumns.contains(where: { quoteIdentifier($0.name) == sql }) {
                sql += " COLLATE \"C\""
            }
            if item.descending { sql += " DESC" }
            let nullsFirst = item.nullsFirst ?? !item.descending
            sql += nullsFirst ? " NULLS FIRST" : " NULLS LAST"
            return sql
        }.joined(separator: ", ")
    }

    /// `col` or `alias.col`.
    func isColumnAssignment(_ path: [String], alias: String) -> Bool {
        path.count == 1 || (path.count == 2 && path.first?.lowercased() == alias.lowercased())
    }

    /// The PostgreSQL name of a table path: `"dataset"."table"` (a dataset is a schema; the
    /// project is the database, so its part is dropped), or `"table"` on the search path.
    func relationSQL(_ path: [String]) -> String {
        if path.count >= 2 { return quoteIdentifier(path[path.count - 2]) + "." + quoteIdentifier(path[path.count - 1]) }
        return quoteIdentifier(path.first ?? "")
    }

    /// The PostgreSQL type that holds values of a BigQuery type (``SQLType/postgresStorage``).
    /// - Throws: `SQLError` for an array of unknown element type or an array of arrays.
    func postgresType(_ type: SQLType, at: SourceLocation) throws -> String {
        if case .array(let element) = type {
            guard let element else { throw refuse("ARRAY of unknown element type", at) }
            if case .array = element { throw SQLError(.semantic, construct: "ARRAY<ARRAY>", message: "arrays of arrays are not allowed in BigQuery", location: at) }
            return try postgresType(element, at: at) + "[]"
        }
        guard let storage = type.postgresStorage else { throw refuse("\(type)", at) }
        return storage
    }
}
