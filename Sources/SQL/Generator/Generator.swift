/// The dialect-independent half of a generator: query structure (WITH, set operations, SELECT,
/// FROM, joins), name scopes and the type rules shared by every target dialect. A dialect's
/// generator conforms and supplies only what it spells differently (the requirements below);
/// the default implementations in the extensions are the shared core, written once.
///
/// This follows sqlglot's design — one generator base, dialect generators overriding only what
/// differs (`sqlglot/generator.py`, `sqlglot/generators/sqlite.py`) — as a protocol with default
/// implementations, since Swift cannot override a method declared in an extension.
///
/// Generation and typing are one pass: every fragment comes back with its BigQuery type
/// (<https://cloud.google.com/bigquery/docs/reference/standard-sql/data-types>).
///
/// Files: this one (requirements, queries, set operations, type rules); `+Select` (SELECT, star
/// expansion, FROM, joins); `+Names` (column resolution through scopes); `+Expressions` (the
/// shared expression kinds, typed literals, coercions); `+Functions` (function routing and
/// BigQuery's function tables); `+Statements` (INSERT, UPDATE, DELETE, windows). Dialects:
/// ``SQLiteGenerator``, ``PostgresGenerator``.
protocol SQLGenerator: AnyObject {
    // MARK: - State

    /// The tables' columns (typing `SELECT *` and column references).
    var catalog: SQLCatalog { get }
    /// The last number ``fresh(_:)`` handed out.
    var counter: Int { get set }
    /// Visible CTEs, innermost last.
    var ctes: [CTEInfo] { get set }
    /// Named windows of the select being generated (`WINDOW w AS (…)`).
    var windowDefinitions: [String: Window] { get set }
    /// How many references to views were generated so far (a CTE whose body adds one reads a view).
    var viewReads: Int { get set }

    // MARK: - Expressions (each dialect's own)

    /// The SQL and BigQuery type of the node kinds the dialect writes its own way (see
    /// ``expression(_:scope:)`` for which).
    func dialectExpression(_ expression: Expression, scope: Scope) throws -> Typed
    /// A DATE, DATETIME, TIMESTAMP, TIME or JSON literal from its canonical text.
    func spellLiteral(_ type: SQLType, _ text: String) -> String
    /// A NUMERIC/BIGNUMERIC literal from its text (spaces removed), nil when it is not a number.
    func numericLiteral(_ text: String) -> String?
    /// An ARRAY literal of `items`, all coerced to `element` (nil when unknown).
    func arrayLiteral(_ items: [Typed], element: SQLType?, at: SourceLocation) throws -> String
    /// Refuses a STRUCT literal field the dialect cannot hold (`names`: the fields before it).
    func checkStructLiteralField(_ name: String, _ value: Typed, names: [String], at: SourceLocation, fieldAt: SourceLocation) throws
    /// A STRUCT value from its named fields.
    func structObject(_ fields: [(name: String, value: Typed)]) -> String
    /// A CASE branch's SQL once the type of the whole CASE is known.
    func branchResult(_ value: Typed, as type: SQLType?, at: SourceLocation) throws -> String
    /// A DATE compared with a value of type `other`, taken at midnight; nil to leave it.
    func dateAtMidnight(_ date: Typed, as other: SQLType?) -> Typed?
    /// A binary operator (arithmetic, comparison, AND/OR, `||`).
    func binary(_ op: String, _ left: Expression, _ right: Expression, scope: Scope, at: SourceLocation) throws -> Typed
    /// `CAST` / `SAFE_CAST` of a value.
    func cast(_ value: Typed, to target: TypeName, safe: Bool, at: SourceLocation) throws -> Typed
    /// A scalar function call.
    func scalarFunction(_ call: Call, scope: Scope, at: SourceLocation) throws -> Typed
    /// An aggregate or window function call, its arguments generated.
    func aggregate(_ call: Call, _ args: [Typed], scope: Scope, at: SourceLocation) throws -> Typed
    /// ORDER BY terms in the dialect's NULL order and collation.
    func orderItems(_ items: [OrderItem], scope: Scope, outputColumns: [SQLColumn], isCompound: Bool) throws -> String

    // MARK: - Query structure hooks

    /// The error for a construct this dialect cannot translate.
    func unsupported(_ construct: String, _ location: SourceLocation) -> SQLError
    /// The hint written between `AS` and a CTE's body (`MATERIALIZED `), or "".
    func materializationHint(_ info: CTEInfo, recursive: Bool) -> String
    /// The whole query re-sorted by its output columns, or nil to write a plain ORDER BY.
    func sortedByOutput(_ items: [OrderItem], body: SetResult, sql: String) throws -> String?
    /// What follows a derived table's closing parenthesis: "" or ` AS "_prefixN"`.
    func derivedTableAlias(_ prefix: String) -> String
    /// A set operation used as an operand of another one.
    func nestedSetOperand(_ sql: String) -> String
    /// `SELECT AS STRUCT`: the one value built from the select list.
    func selectAsStruct(_ items: [(sql: String, column: SQLColumn)], location: SourceLocation) throws -> String
    /// Refuses output column names the dialect would not keep as written.
    func checkOutputNames(_ items: [(sql: String, column: SQLColumn)], location: SourceLocation) throws
    /// The GROUP BY term for the ordinal `text`.
    func groupOrdinal(_ text: String, select: Select, items: [(sql: String, column: SQLColumn)], unexpandedStar: Bool, location: SourceLocation) throws -> String
    /// Appends GROUP BY and HAVING to `rest`; returns the whole SELECT when the dialect rewrites it
    /// (a ROLLUP it cannot write), else nil.
    func grouping(select: Select, head: String, items: [(sql: String, column: SQLColumn)], groupSQL: [String], rest: inout String, scope: Scope) throws -> String?
    /// Refuses `*` over an UNNEST whose elements the dialect cannot spread into columns.
    func checkStarOverUnnest(_ source: Source, location: SourceLocation) throws
    /// An UNNEST source's element, as a column reference.
    func unnestValueSQL(_ source: Source) -> String
    /// An UNNEST source's 0-based offset (`WITH OFFSET`), as a column reference.
    func unnestOffsetSQL(_ source: Source) -> String
    /// Whether an UPDATE's `SET` target names a column (`col` or `alias.col`), not a STRUCT field.
    func isColumnAssignment(_ path: [String], alias: String) -> Bool
    /// A table path as written in DDL and DML.
    func relationSQL(_ path: [String]) -> String
    /// A table path as written in FROM (where a dialect may note what it reads).
    func tableSQL(_ path: [String]) -> String
    /// The element type of an array in UNNEST.
    func unnestElementType(_ array: Typed, location: SourceLocation) throws -> SQLType?
    /// `UNNEST(array)` as a FROM item named `qualifier`.
    func unnestSQL(_ array: String, qualifier: String, withOffset: Bool) -> String
    /// A select alias referenced where aliases come first (ORDER BY), as `name` spells it.
    func outputAlias(_ alias: Typed, named name: String) -> Typed
    /// How `t.name` is written once the catalog's `column` matched it.
    func columnSpelling(_ name: String, column: SQLColumn) -> String
    /// A name in a scope where some relation's columns are unknown.
    func unresolvedColumn(_ parts: [String], at: SourceLocation) throws -> Typed
    /// `base.a.b` on a STRUCT value.
    func structField(_ base: Typed, _ path: [String], at: SourceLocation) throws -> Typed
    /// The condition of a join written without ON or USING.
    var alwaysTrue: String { get }
}

/// A set expression's SQL and output columns.
struct SetResult {
    var sql: String
    var columns: [SQLColumn]
    var isCompound = false
    var lastScope: Scope?
}

// MARK: - Default implementations

extension SQLGenerator {
    func fresh(_ prefix: String) -> String {
        counter += 1
        return "_\(prefix)\(counter)"
    }

    func materializationHint(_ info: CTEInfo, recursive: Bool) -> String { "" }

    func sortedByOutput(_ items: [OrderItem], body: SetResult, sql: String) throws -> String? { nil }

    func checkOutputNames(_ items: [(sql: String, column: SQLColumn)], location: SourceLocation) throws {}

    func tableSQL(_ path: [String]) -> String { relationSQL(path) }

    func selectAsStruct(_ items: [(sql: String, column: SQLColumn)], location: SourceLocation) throws -> String {
        structObject(items.map { ($0.column.name, Typed($0.sql, $0.column.type)) })
    }

    // MARK: - Queries

    /// A query's SQL and output columns.
    func query(_ query: Query, parent: Scope?) throws -> (sql: String, columns: [SQLColumn]) {
        let saved = ctes.count
        defer { ctes.removeSubrange(saved...) }
        var cteParts: [(CTEInfo, String)] = []
        for cte in query.with {
            let info = CTEInfo(name: cte.name.lowercased(), emitted: quoteIdentifier(cte.name), columns: nil)
            if query.recursive {
                // The recursive reference sees the columns of the non-recursive part.
                if case .setOperation(_, _, let left, _, _) = cte.query.body, cte.query.with.isEmpty {
                    ctes.append(info)
                    let probe = try setExpression(left, parent: parent)
                    info.columns = probe.columns
                    ctes.removeLast()
                }
                ctes.append(info)
                let generated = try self.query(cte.query, parent: parent)
                info.columns = generated.columns
                cteParts.append((info, generated.sql))
            } else {
                let readsBefore = viewReads
                let generated = try self.query(cte.query, parent: parent)
                info.readsView = viewReads > readsBefore
                // No columns: a `SELECT *` over a relation whose columns are unknown.
                info.columns = generated.columns.isEmpty ? nil : generated.columns
                ctes.append(info)
                cteParts.append((info, generated.sql))
            }
        }
        var body = try setExpression(query.body, parent: parent)
        var sql = ""
        if !cteParts.isEmpty {
            sql = "WITH " + (query.recursive ? "RECURSIVE " : "")
            sql += cteParts.map { info, text in
                let hint = materializationHint(info, recursive: query.recursive)
                let columns = query.recursive ? "(" + (info.columns ?? []).map { quoteIdentifier($0.name) }.joined(separator: ", ") + ") " : ""
                return "\(info.emitted) \(columns)AS \(hint)(\n\(text)\n)"
            }.joined(separator: ",\n") + "\n"
        }
        sql += body.sql
        if let sorted = try sortedByOutput(query.orderBy, body: body, sql: sql) {
            sql = sorted
        } else if !query.orderBy.isEmpty {
            let scope = Scope(parent: parent)
            scope.aliasesFirst = true
            for column in body.columns {
                scope.selectAliases[column.name.lowercased()] = Typed(quoteIdentifier(column.name), column.type)
            }
            if let last = body.lastScope {
                scope.sources = last.sources
                for (key, value) in last.selectAliases where scope.selectAliases[key] == nil { scope.selectAliases[key] = value }
            }
            sql += "\nORDER BY " + (try orderItems(query.orderBy, scope: scope, outputColumns: body.columns, isCompound: body.isCompound))
        }
        if let limit = query.limit {
            sql += "\nLIMIT " + (try integerConstant(limit, what: "LIMIT"))
            if let offset = query.offset { sql += " OFFSET " + (try integerConstant(offset, what: "OFFSET")) }
        }
        body.sql = sql
        return (body.sql, body.columns)
    }

    func integerConstant(_ expression: Expression, what: String) throws -> String {
        if case .integer(let text) = expression.kind, let value = Int64(text), value >= 0 { return String(value) }
        throw SQLError(.semantic, construct: what, message: "\(what) expects a non-negative integer literal", location: expression.location)
    }

    func setExpression(_ expression: SetExpression, parent: Scope?) throws -> SetResult {
        switch expression {
        case .select(let select):
            return try self.select(select, parent: parent)
        case .query(let inner):
            let generated = try query(inner, parent: parent)
            return SetResult(sql: "SELECT * FROM (\n\(generated.sql)\n)\(derivedTableAlias("query"))", columns: generated.columns)
        case .setOperation(let op, let all, let left, let right, let location):
            if all && op != "UNION" {
                throw SQLError(.semantic, construct: "\(op) ALL", message: "\(op) ALL is not supported by BigQuery (use \(op) DISTINCT)", location: location)
            }
            let l = try operand(left, parent: parent)
            let r = try operand(right, parent: parent)
            guard l.columns.count == r.columns.count || l.columns.isEmpty || r.columns.isEmpty else {
                throw SQLError(.semantic, construct: op, message: "queries in \(op) have \(l.columns.count) and \(r.columns.count) columns", location: location)
            }
            var columns = l.columns
            for index in columns.indices where index < r.columns.count {
                columns[index].type = supertype(columns[index].type, r.columns[index].type)
            }
            let keyword = op + (all ? " ALL" : "")
            return SetResult(sql: "\(l.sql)\n\(keyword)\n\(r.sql)", columns: columns, isCompound: true)
        }
    }

    /// A set-operation operand: a nested set operation is wrapped as the dialect needs.
    func operand(_ expression: SetExpression, parent: Scope?) throws -> SetResult {
        switch expression {
        case .setOperation:
            let inner = try setExpression(expression, parent: parent)
            return SetResult(sql: nestedSetOperand(inner.sql), columns: inner.columns)
        default:
            return try setExpression(expression, parent: parent)
        }
    }

    func sourceQualifier(_ parts: [String], scope: Scope, location: SourceLocation) throws -> String {
        let name = parts.joined(separator: ".").lowercased()
        guard let source = scope.sources.first(where: { $0.name == name }) else {
            throw SQLError(.semantic, construct: "name", message: "unrecognized name: \(parts.joined(separator: "."))", location: location)
        }
        return source.qualifier
    }

    /// The catalog key of a BigQuery table path: `dataset.table` (a project part is dropped: one
    /// database is one project).
    func relationName(_ path: [String]) -> String {
        if path.count >= 2 { return path[path.count - 2] + "." + path[path.count - 1] }
        return path.first ?? ""
    }

    /// The result type of `+ - *`: FLOAT64 if either side is, INT64 for two INT64s, NUMERIC for
    /// NUMERIC with NUMERIC or INT64, else the known side's type
    /// (<https://cloud.google.com/bigquery/docs/reference/standard-sql/operators#arithmetic_operators>).
    func arithmeticType(_ l: SQLType?, _ r: SQLType?) -> SQLType? {
        if l == .float64 || r == .float64 { return .float64 }
        if l == .int64 && r == .int64 { return .int64 }
        if (l == .numeric || l == .int64) && (r == .numeric || r == .int64) { return .numeric }
        return l ?? r
    }

    /// The common type of two branches (INT64 and FLOAT64 give FLOAT64)
    /// (<https://cloud.google.com/bigquery/docs/reference/standard-sql/conversion_rules#supertypes>).
    func supertype(_ a: SQLType?, _ b: SQLType?) -> SQLType? {
        guard let a else { return b }
        guard let b else { return a }
        if a == b { return a }
        if a.isNumber && b.isNumber {
            if a == .float64 || b == .float64 { return .float64 }
            if a == .bignumeric || b == .bignumeric { return .bignumeric }
            return .numeric
        }
        if (a == .date && b == .datetime) || (a == .datetime && b == .date) { return .datetime }
        return a
    }
}
