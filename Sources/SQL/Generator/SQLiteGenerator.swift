/// Writes SQLite SQL (plus the `bq_*` functions `WarehouseSQLite` registers) for a GoogleSQL
/// AST, keeping BigQuery's semantics. This file: queries, SELECT, FROM and name resolution;
/// `+Expressions` (operators, literals, coercions), `+Functions` (the function table),
/// `+Statements` (DDL and DML).
///
/// Generation and typing are one pass: every fragment comes back with its BigQuery type
/// (<https://cloud.google.com/bigquery/docs/reference/standard-sql/data-types>), which picks the
/// emitted semantics (integer overflow checks, temporal coercions) and the declared types of
/// created tables.
final class SQLiteGenerator {
    let catalog: SQLCatalog
    let dialect: SQLDialect
    var counter = 0
    /// Visible CTEs, innermost last.
    var ctes: [CTEInfo] = []
    /// How many references to views were generated so far (a CTE whose body adds one reads a view).
    var viewReads = 0

    init(catalog: SQLCatalog, dialect: SQLDialect = .bigQuery) {
        self.catalog = catalog
        self.dialect = dialect
    }

    func fresh(_ prefix: String) -> String {
        counter += 1
        return "_\(prefix)\(counter)"
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
                // SQLite inlines a CTE used once; one read twice, or one reading a view, is
                // computed once instead (https://www.sqlite.org/lang_with.html#materialization_hints).
                let hint = !query.recursive && (info.references > 1 || info.readsView) ? "MATERIALIZED " : ""
                let columns = query.recursive ? "(" + (info.columns ?? []).map { quoteIdentifier($0.name) }.joined(separator: ", ") + ") " : ""
                return "\(info.emitted) \(columns)AS \(hint)(\n\(text)\n)"
            }.joined(separator: ",\n") + "\n"
        }
        sql += body.sql
        if !query.orderBy.isEmpty {
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
            return SetResult(sql: "SELECT * FROM (\n\(generated.sql)\n)", columns: generated.columns)
        case .setOperation(let op, let all, let left, let right, let location):
            if !all && op == "UNION" {
                // fine
            } else if all && op != "UNION" {
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

    /// A set-operation operand: compound or ordered operands are wrapped (SQLite allows neither
    /// parentheses nor ORDER BY on an operand).
    private func operand(_ expression: SetExpression, parent: Scope?) throws -> SetResult {
        switch expression {
        case .setOperation:
            let inner = try setExpression(expression, parent: parent)
            return SetResult(sql: "SELECT * FROM (\n\(inner.sql)\n)", columns: inner.columns)
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

        // The select list, stars expanded where the columns are known.
        var items: [(sql: String, column: SQLColumn, expression: Expression?)] = []
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
                items.append((typed.sql, column, expression))
                scope.selectAliases[column.name.lowercased()] = typed
            case .star(let qualifier, let except, let replace, let location):
                let expanded = try star(qualifier: qualifier, except: except, replace: replace, scope: scope, location: location)
                if let expanded {
                    for entry in expanded {
                        items.append((entry.sql, entry.column, nil))
                    }
                } else {
                    unexpandedStar = true
                    let prefix = qualifier.map { try? sourceQualifier($0, scope: scope, location: location) } ?? nil
                    items.append(((prefix.map { "\($0)." } ?? "") + "*", SQLColumn(name: "*", type: nil), nil))
                }
            }
        }
        var columns = unexpandedStar ? [] : items.map(\.column)
        if let kind = select.asKind {
            guard !unexpandedStar else { throw SQLError.unsupported("SELECT AS \(kind) *", select.location) }
            if kind == "VALUE" {
                guard items.count == 1 else {
                    throw SQLError(.semantic, construct: "SELECT AS VALUE", message: "SELECT AS VALUE needs exactly one column", location: select.location)
                }
                items[0].column.name = "f0_"
            } else {
                let object = "json_object(" + items.map { "\(quoteString($0.column.name)), \(jsonValue(Typed($0.sql, $0.column.type)))" }.joined(separator: ", ") + ")"
                let type = SQLType.structure(items.map(\.column.name), items.map(\.column.type))
                items = [(object, SQLColumn(name: "f0_", type: type), nil)]
            }
            columns = items.map(\.column)
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
                guard let ordinal = Int(text), ordinal >= 1, ordinal <= items.count, !unexpandedStar else {
                    throw SQLError(.semantic, construct: "GROUP BY", message: "GROUP BY ordinal \(text) is out of range", location: group.location)
                }
                groupSQL.append(items[ordinal - 1].sql)
            } else {
                groupSQL.append(try self.expression(group, scope: scope).sql)
            }
        }
        var having: String?
        if let condition = select.having { having = try predicate(condition, scope: scope) }
        var sql: String
        if select.rollup {
            if select.qualify != nil { throw SQLError.unsupported("QUALIFY with GROUP BY ROLLUP", select.location) }
            sql = rollup(select: select, items: items, groupSQL: groupSQL, rest: rest, having: having)
        } else {
            if !groupSQL.isEmpty { rest += "\nGROUP BY " + groupSQL.joined(separator: ", ") }
            if let having { rest += "\nHAVING " + having }
            sql = head + list + rest
        }
        if let qualify = select.qualify {
            guard !unexpandedStar else {
                throw SQLError.unsupported("QUALIFY with SELECT * over a relation whose columns are unknown", qualify.location)
            }
            // SQLite has no QUALIFY: filter the windowed rows in an outer query.
            let condition = try predicate(qualify, scope: scope)
            let outer = columns.map { quoteIdentifier($0.name) }.joined(separator: ", ")
            sql = "SELECT \(outer) FROM (\n\(head)\(list), \(condition) AS \"_qualify\"\(rest)\n) WHERE \"_qualify\""
        }
        return SetResult(sql: sql, columns: columns, lastScope: scope)
    }

    /// Named windows of the select being generated (`WINDOW w AS (…)`).
    var windowDefinitions: [String: Window] = [:]

    /// `GROUP BY ROLLUP(a, b)`: the union of the groupings `(a, b)`, `(a)` and `()`, with the
    /// rolled-up columns NULL (https://cloud.google.com/bigquery/docs/reference/standard-sql/query-syntax#group_by_rollup).
    private func rollup(select: Select, items: [(sql: String, column: SQLColumn, expression: Expression?)], groupSQL: [String], rest: String, having: String?) -> String {
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

    /// `*` / `t.*` with EXCEPT and REPLACE; nil when the columns are unknown and nothing needs them.
    private func star(qualifier: [String]?, except: [String], replace: [Expression.Field], scope: Scope, location: SourceLocation) throws -> [(sql: String, column: SQLColumn)]? {
        var sources = scope.sources
        if let qualifier {
            let name = qualifier.joined(separator: ".").lowercased()
            guard let source = scope.sources.first(where: { $0.name == name }) else {
                // `s.*` on a STRUCT column.
                throw SQLError.unsupported("\(qualifier.joined(separator: ".")).* on a struct", location)
            }
            sources = [source]
        }
        if sources.isEmpty {
            throw SQLError(.semantic, construct: "SELECT *", message: "SELECT * must have a FROM clause", location: location)
        }
        var entries: [(sql: String, column: SQLColumn)] = []
        for source in sources {
            if source.isUnnest {
                entries.append(("\(source.qualifier).value", SQLColumn(name: source.name, type: source.elementType)))
                if let offset = source.offsetName {
                    entries.append(("\(source.qualifier).key", SQLColumn(name: offset, type: .int64)))
                }
                continue
            }
            guard let columns = source.columns else {
                if except.isEmpty && replace.isEmpty { return nil }
                throw SQLError.unsupported("SELECT * EXCEPT/REPLACE over a relation whose columns are unknown", location)
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
            let relation = relationName(path)
            if catalog.isView(relation) { viewReads += 1 }
            scope.sources.append(Source(name: aliasName.lowercased(), qualifier: quoteIdentifier(aliasName), columns: catalog.columns(relation)))
            return "\(quoteIdentifier(relation)) AS \(quoteIdentifier(aliasName))"
        case .subquery(let query, let alias, _):
            let generated = try self.query(query, parent: scope.parent)
            let name = alias ?? fresh("subquery")
            scope.sources.append(Source(name: name.lowercased(), qualifier: quoteIdentifier(name), columns: generated.columns.isEmpty ? nil : generated.columns))
            return "(\n\(generated.sql)\n) AS \(quoteIdentifier(name))"
        case .unnest(let array, let alias, let offsetAlias, _):
            let typed = try expression(array, scope: scope)
            var element: SQLType?
            if case .array(let inner) = typed.type { element = inner }
            let qualifier = fresh("unnest")
            var source = Source(name: (alias ?? "f0_").lowercased(), qualifier: quoteIdentifier(qualifier), columns: nil)
            source.isUnnest = true
            source.elementType = element
            source.offsetName = offsetAlias
            scope.sources.append(source)
            return "json_each(\(typed.sql)) AS \(quoteIdentifier(qualifier))"
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
                sql += " ON 1"
            }
            return sql
        }
    }

    /// The physical name of a BigQuery table path: `dataset.table` (a project part is dropped:
    /// one database file is one project).
    func relationName(_ path: [String]) -> String {
        if path.count >= 2 { return path[path.count - 2] + "." + path[path.count - 1] }
        return path.first ?? ""
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
