/// Writes PostgreSQL 15 SQL for a GoogleSQL AST, keeping BigQuery's semantics
/// (<https://cloud.google.com/bigquery/docs/reference/standard-sql/>), with no function or
/// extension to install. This file: queries, SELECT, FROM and name resolution. `+Expressions`:
/// operators, literals, names, coercions, STRUCT fields; `+Casts`; `+Functions`: the scalar
/// function table; `+Aggregates`: aggregate and window functions; `+Dates`: date and time
/// functions; `+DateFormat` and `+Parse`: FORMAT_* and PARSE_* format elements;
/// `+FormatFunction`: FORMAT; `+Statements`: DDL and DML.
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
final class PostgresGenerator {
    let catalog: SQLCatalog
    var counter = 0
    /// Visible CTEs, innermost last.
    var ctes: [CTEInfo] = []
    /// Named windows of the select being generated (`WINDOW w AS (…)`).
    var windowDefinitions: [String: Window] = [:]

    init(catalog: SQLCatalog) {
        self.catalog = catalog
    }

    func fresh(_ prefix: String) -> String {
        counter += 1
        return "_\(prefix)\(counter)"
    }

    func refuse(_ construct: String, _ at: SourceLocation, hint: String? = nil) -> SQLError {
        SQLError.unsupportedInPostgres(construct, at, hint: hint)
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
                let generated = try self.query(cte.query, parent: parent)
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
                let columns = query.recursive ? "(" + (info.columns ?? []).map { quoteIdentifier($0.name) }.joined(separator: ", ") + ") " : ""
                return "\(info.emitted) \(columns)AS (\n\(text)\n)"
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

    func integerConstant(_ expression: Expression, what: String) throws -> String {
        if case .integer(let text) = expression.kind, let value = Int64(text), value >= 0 { return String(value) }
        throw SQLError(.semantic, construct: what, message: "\(what) expects a non-negative integer literal", location: expression.location)
    }

    struct SetResult {
        var sql: String
        var columns: [SQLColumn]
        var isCompound = false
        var lastScope: Scope?
    }

    func setExpression(_ expression: SetExpression, parent: Scope?) throws -> SetResult {
        switch expression {
        case .select(let select):
            return try self.select(select, parent: parent)
        case .query(let inner):
            let generated = try query(inner, parent: parent)
            return SetResult(sql: "SELECT * FROM (\n\(generated.sql)\n) AS \(quoteIdentifier(fresh("query")))", columns: generated.columns)
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

    /// A set-operation operand: a nested set operation is parenthesized (PostgreSQL's INTERSECT
    /// binds tighter than UNION; BigQuery asks for parentheses whenever they are mixed).
    private func operand(_ expression: SetExpression, parent: Scope?) throws -> SetResult {
        switch expression {
        case .setOperation:
            let inner = try setExpression(expression, parent: parent)
            return SetResult(sql: "(\n\(inner.sql)\n)", columns: inner.columns)
        default:
            return try setExpression(expression, parent: parent)
        }
    }

    // MARK: - SELECT

    func select(_ select: Select, parent: Scope?) throws -> SetResult {
        let scope = Scope(parent: parent)
        var fromSQL: String?
        if let from = select.from { fromSQL = try fromItem(from, scope: scope) }
        let savedWindows = windowDefinitions
        windowDefinitions = select.windows
        defer { windowDefinitions = savedWindows }

        var items: [(sql: String, column: SQLColumn)] = []
        var anonymous = 0
        var unexpandedStar = false
        for item in select.items {
            switch item {
            case .expression(let expression, let alias):
                let typed = try self.expression(expression, scope: scope)
                var name = alias
                if name == nil, case .column(let parts) = expression.kind, let last = parts.last { name = last }
                if name == nil, case .field(_, let field) = expression.kind { name = field }
                if name == nil {
                    name = "f\(anonymous)_"
                    anonymous += 1
                }
                let column = SQLColumn(name: name ?? "", type: typed.type)
                items.append((typed.sql, column))
                scope.selectAliases[column.name.lowercased()] = typed
            case .star(let qualifier, let except, let replace, let location):
                if let expanded = try star(qualifier: qualifier, except: except, replace: replace, scope: scope, location: location) {
                    items += expanded
                } else {
                    unexpandedStar = true
                    let prefix = try qualifier.map { try sourceQualifier($0, scope: scope, location: location) }
                    items.append(((prefix.map { "\($0)." } ?? "") + "*", SQLColumn(name: "*", type: nil)))
                }
            }
        }
        var columns = unexpandedStar ? [] : items.map(\.column)
        if let kind = select.asKind {
            guard !unexpandedStar else { throw refuse("SELECT AS \(kind) *", select.location) }
            if kind == "VALUE" {
                guard items.count == 1 else {
                    throw SQLError(.semantic, construct: "SELECT AS VALUE", message: "SELECT AS VALUE needs exactly one column", location: select.location)
                }
                items[0].column.name = "f0_"
            } else {
                for item in items { try checkStructField(item.column.type, at: select.location) }
                let object = "jsonb_build_object(" + items.map { "\(quoteString($0.column.name)), \($0.sql)" }.joined(separator: ", ") + ")"
                items = [(object, SQLColumn(name: "f0_", type: .structure(items.map(\.column.name), items.map(\.column.type))))]
            }
            columns = items.map(\.column)
        }

        // PostgreSQL truncates longer names to 63 bytes: the column would not be called as in BigQuery.
        if let long = items.first(where: { $0.column.name.utf8.count > 63 }) {
            throw refuse("column name longer than 63 bytes (\(long.column.name.prefix(20))…)", select.location)
        }
        let head = "SELECT " + (select.distinct ? "DISTINCT " : "")
        let list = items.map { item in
            item.column.name == "*" ? item.sql : "\(item.sql) AS \(quoteIdentifier(item.column.name))"
        }.joined(separator: ", ")
        var rest = ""
        if let fromSQL { rest += "\nFROM " + fromSQL }
        if let condition = select.whereClause {
            rest += "\nWHERE " + (try predicate(condition, scope: scope))
        }
        var groupSQL: [String] = []
        for group in select.groupBy {
            if case .integer(let text) = group.kind {
                guard let ordinal = Int(text), ordinal >= 1, unexpandedStar || ordinal <= items.count else {
                    throw SQLError(.semantic, construct: "GROUP BY", message: "GROUP BY ordinal \(text) is out of range", location: group.location)
                }
                // PostgreSQL reads a GROUP BY ordinal as BigQuery does, but not inside ROLLUP.
                if select.rollup {
                    guard !unexpandedStar else { throw refuse("GROUP BY ROLLUP ordinal over SELECT *", group.location) }
                    groupSQL.append(items[ordinal - 1].sql)
                } else {
                    groupSQL.append(String(ordinal))
                }
            } else {
                groupSQL.append(try self.expression(group, scope: scope).sql)
            }
        }
        if !groupSQL.isEmpty {
            rest += "\nGROUP BY " + (select.rollup ? "ROLLUP (" + groupSQL.joined(separator: ", ") + ")" : groupSQL.joined(separator: ", "))
        }
        if let condition = select.having { rest += "\nHAVING " + (try predicate(condition, scope: scope)) }
        var sql = head + list + rest
        if let qualify = select.qualify {
            guard !unexpandedStar else {
                throw refuse("QUALIFY with SELECT * over a relation whose columns are unknown", qualify.location)
            }
            // PostgreSQL has no QUALIFY: filter the windowed rows in an outer query.
            let condition = try predicate(qualify, scope: scope)
            let outer = columns.map { quoteIdentifier($0.name) }.joined(separator: ", ")
            sql = "SELECT \(outer) FROM (\n\(head)\(list), \(condition) AS \"_qualify\"\(rest)\n) AS \(quoteIdentifier(fresh("qualified"))) WHERE \"_qualify\""
        }
        return SetResult(sql: sql, columns: columns, lastScope: scope)
    }

    /// `*` / `t.*` with EXCEPT and REPLACE; nil when the columns are unknown and nothing needs them.
    private func star(qualifier: [String]?, except: [String], replace: [Expression.Field], scope: Scope, location: SourceLocation) throws -> [(sql: String, column: SQLColumn)]? {
        var sources = scope.sources
        if let qualifier {
            let name = qualifier.joined(separator: ".").lowercased()
            guard let source = scope.sources.first(where: { $0.name == name }) else {
                throw refuse("\(qualifier.joined(separator: ".")).* on a struct", location)
            }
            sources = [source]
        }
        if sources.isEmpty {
            throw SQLError(.semantic, construct: "SELECT *", message: "SELECT * must have a FROM clause", location: location)
        }
        var entries: [(sql: String, column: SQLColumn)] = []
        for source in sources {
            if source.isUnnest {
                // BigQuery's * over an UNNEST of STRUCTs gives the fields as columns.
                if case .structure = source.elementType { throw refuse("SELECT * over UNNEST of STRUCTs", location) }
                entries.append(("\(source.qualifier).\"value\"", SQLColumn(name: source.name, type: source.elementType)))
                if let offset = source.offsetName {
                    entries.append(("(\(source.qualifier).\"offset\" - 1)", SQLColumn(name: offset, type: .int64)))
                }
                continue
            }
            guard let columns = source.columns else {
                if except.isEmpty && replace.isEmpty { return nil }
                throw refuse("SELECT * EXCEPT/REPLACE over a relation whose columns are unknown", location)
            }
            for column in columns where qualifier != nil || !source.hiddenForStar.contains(column.name.lowercased()) {
                entries.append(("\(source.qualifier).\(quoteIdentifier(column.name))", column))
            }
        }
        for name in except {
            guard entries.contains(where: { $0.column.name.lowercased() == name.lowercased() }) else {
                throw SQLError(.semantic, construct: "SELECT * EXCEPT", message: "column \(name) in SELECT * EXCEPT list does not exist", location: location)
            }
            entries.removeAll { $0.column.name.lowercased() == name.lowercased() }
        }
        for field in replace {
            guard let name = field.name, let index = entries.firstIndex(where: { $0.column.name.lowercased() == name.lowercased() }) else {
                throw SQLError(.semantic, construct: "SELECT * REPLACE", message: "column \(field.name ?? "") in SELECT * REPLACE list does not exist", location: location)
            }
            let typed = try expression(field.value, scope: scope)
            entries[index] = (typed.sql, SQLColumn(name: entries[index].column.name, type: typed.type))
        }
        return entries
    }

    func sourceQualifier(_ parts: [String], scope: Scope, location: SourceLocation) throws -> String {
        let name = parts.joined(separator: ".").lowercased()
        guard let source = scope.sources.first(where: { $0.name == name }) else {
            throw SQLError(.semantic, construct: "name", message: "unrecognized name: \(parts.joined(separator: "."))", location: location)
        }
        return source.qualifier
    }

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

    // MARK: - FROM

    func fromItem(_ item: FromItem, scope: Scope) throws -> String {
        switch item {
        case .table(let path, let alias, let location):
            // A path starting with a visible alias is an array of that row: an implicit UNNEST.
            if path.count >= 2, scope.sources.contains(where: { $0.name == path[0].lowercased() }) {
                let array = Expression(.column(path), at: location)
                return try fromItem(.unnest(array, alias: alias ?? path.last, offsetAlias: nil, location: location), scope: scope)
            }
            let aliasName = alias ?? path.last ?? ""
            if path.count == 1, let cte = ctes.last(where: { $0.name == path[0].lowercased() }) {
                cte.references += 1
                scope.sources.append(Source(name: aliasName.lowercased(), qualifier: quoteIdentifier(aliasName), columns: cte.columns))
                return "\(cte.emitted) AS \(quoteIdentifier(aliasName))"
            }
            scope.sources.append(Source(name: aliasName.lowercased(), qualifier: quoteIdentifier(aliasName), columns: catalog.columns(relationName(path))))
            return "\(relationSQL(path)) AS \(quoteIdentifier(aliasName))"
        case .subquery(let query, let alias, _):
            let generated = try self.query(query, parent: scope.parent)
            let name = alias ?? fresh("subquery")
            scope.sources.append(Source(name: name.lowercased(), qualifier: quoteIdentifier(name), columns: generated.columns.isEmpty ? nil : generated.columns))
            return "(\n\(generated.sql)\n) AS \(quoteIdentifier(name))"
        case .unnest(let array, let alias, let offsetAlias, let location):
            let typed = try expression(array, scope: scope)
            guard case .array(let element) = typed.type ?? .array(nil) else {
                throw SQLError(.semantic, construct: "UNNEST", message: "UNNEST needs an array", location: location)
            }
            let qualifier = fresh("unnest")
            var source = Source(name: (alias ?? "f0_").lowercased(), qualifier: quoteIdentifier(qualifier), columns: nil)
            source.isUnnest = true
            source.elementType = element
            source.offsetName = offsetAlias
            scope.sources.append(source)
            // A function in FROM sees the items before it (implicitly LATERAL); ordinality is 1-based.
            if offsetAlias != nil {
                return "unnest(\(typed.sql)) WITH ORDINALITY AS \(quoteIdentifier(qualifier))(\"value\", \"offset\")"
            }
            return "unnest(\(typed.sql)) AS \(quoteIdentifier(qualifier))(\"value\")"
        case .join(let kind, let left, let right, let on, let using, _):
            let l = try fromItem(left, scope: scope)
            let before = scope.sources.count
            let r = try fromItem(right, scope: scope)
            var sql: String
            switch kind {
            case "CROSS": sql = "\(l)\nCROSS JOIN \(r)"
            case "INNER": sql = "\(l)\nJOIN \(r)"
            default: sql = "\(l)\n\(kind) JOIN \(r)"
            }
            if let on {
                sql += " ON " + (try predicate(on, scope: scope))
            } else if !using.isEmpty {
                sql += " USING (" + using.map(quoteIdentifier).joined(separator: ", ") + ")"
                let hidden = Set(using.map { $0.lowercased() })
                for index in before..<scope.sources.count { scope.sources[index].hiddenForStar.formUnion(hidden) }
            } else if kind != "CROSS" {
                sql += " ON TRUE"
            }
            return sql
        }
    }

    /// The catalog key of a BigQuery table path: `dataset.table` (a project part is dropped).
    func relationName(_ path: [String]) -> String {
        if path.count >= 2 { return path[path.count - 2] + "." + path[path.count - 1] }
        return path.first ?? ""
    }

    /// The PostgreSQL name of a table path: `"dataset"."table"` (a dataset is a schema; the
    /// project is the database, so its part is dropped), or `"table"` on the search path.
    func relationSQL(_ path: [String]) -> String {
        if path.count >= 2 { return quoteIdentifier(path[path.count - 2]) + "." + quoteIdentifier(path[path.count - 1]) }
        return quoteIdentifier(path.first ?? "")
    }

    /// The common type of two branches (INT64 and FLOAT64 give FLOAT64).
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

    /// The PostgreSQL type that holds values of a BigQuery type.
    func postgresType(_ type: SQLType, at: SourceLocation) throws -> String {
        switch type {
        case .int64: return "bigint"
        case .float64: return "double precision"
        case .numeric, .bignumeric: return "numeric"
        case .bool: return "boolean"
        case .string: return "text"
        case .bytes: return "bytea"
        case .date: return "date"
        case .datetime: return "timestamp"
        case .time: return "time"
        case .timestamp: return "timestamptz"
        case .interval: return "interval"
        case .json: return "jsonb"
        case .array(let element):
            guard let element else { throw refuse("ARRAY of unknown element type", at) }
            if case .array = element { throw SQLError(.semantic, construct: "ARRAY<ARRAY>", message: "arrays of arrays are not allowed in BigQuery", location: at) }
            return try postgresType(element, at: at) + "[]"
        case .structure:
            // A STRUCT is a JSON object (field order is not kept: jsonb orders keys).
            return "jsonb"
        }
    }
}
