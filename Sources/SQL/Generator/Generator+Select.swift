/// SELECT and FROM for every dialect: the select list (stars expanded where the columns are
/// known), WHERE, GROUP BY, HAVING, QUALIFY, and FROM items with their name scopes. What a dialect
/// spells differently goes through the ``SQLGenerator`` hooks.
extension SQLGenerator {
    // MARK: - SELECT

    func select(_ select: Select, parent: Scope?) throws -> SetResult {
        let scope = Scope(parent: parent)
        var fromSQL: String?
        if let from = select.from { fromSQL = try fromItem(from, scope: scope) }
        let savedWindows = windowDefinitions
        windowDefinitions = select.windows
        defer { windowDefinitions = savedWindows }

        // The select list, stars expanded where the columns are known.
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
                    // `star` found the qualifier's source, so this cannot fail.
                    let prefix = try qualifier.map { try sourceQualifier($0, scope: scope, location: location) }
                    items.append(((prefix.map { "\($0)." } ?? "") + "*", SQLColumn(name: "*", type: nil)))
                }
            }
        }
        var columns = unexpandedStar ? [] : items.map(\.column)
        if let kind = select.asKind {
            guard !unexpandedStar else { throw unsupported("SELECT AS \(kind) *", select.location) }
            if kind == "VALUE" {
                guard items.count == 1 else {
                    throw SQLError(.semantic, construct: "SELECT AS VALUE", message: "SELECT AS VALUE needs exactly one column", location: select.location)
                }
                items[0].column.name = "f0_"
            } else {
                let object = try selectAsStruct(items, location: select.location)
                items = [(object, SQLColumn(name: "f0_", type: .structure(items.map(\.column.name), items.map(\.column.type))))]
            }
            columns = items.map(\.column)
        }

        try checkOutputNames(items, location: select.location)
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
                groupSQL.append(try groupOrdinal(text, select: select, items: items, unexpandedStar: unexpandedStar, location: group.location))
            } else {
                groupSQL.append(try self.expression(group, scope: scope).sql)
            }
        }
        var sql = try grouping(select: select, head: head, items: items, groupSQL: groupSQL, rest: &rest, scope: scope) ?? head + list + rest
        if let qualify = select.qualify {
            guard !unexpandedStar else {
                throw unsupported("QUALIFY with SELECT * over a relation whose columns are unknown", qualify.location)
            }
            // Neither dialect has QUALIFY: filter the windowed rows in an outer query.
            let condition = try predicate(qualify, scope: scope)
            let outer = columns.map { quoteIdentifier($0.name) }.joined(separator: ", ")
            sql = "SELECT \(outer) FROM (\n\(head)\(list), \(condition) AS \"_qualify\"\(rest)\n)\(derivedTableAlias("qualified")) WHERE \"_qualify\""
        }
        return SetResult(sql: sql, columns: columns, lastScope: scope)
    }

    /// `*` / `t.*` with EXCEPT and REPLACE; nil when the columns are unknown and nothing needs them.
    func star(qualifier: [String]?, except: [String], replace: [Expression.Field], scope: Scope, location: SourceLocation) throws -> [(sql: String, column: SQLColumn)]? {
        var sources = scope.sources
        if let qualifier {
            let name = qualifier.joined(separator: ".").lowercased()
            guard let source = scope.sources.first(where: { $0.name == name }) else {
                // `s.*` on a STRUCT column.
                throw unsupported("\(qualifier.joined(separator: ".")).* on a struct", location)
            }
            sources = [source]
        }
        if sources.isEmpty {
            throw SQLError(.semantic, construct: "SELECT *", message: "SELECT * must have a FROM clause", location: location)
        }
        var entries: [(sql: String, column: SQLColumn)] = []
        for source in sources {
            if source.isUnnest {
                entries += try unnestStarEntries(source, location: location)
                continue
            }
            guard let columns = source.columns else {
                if except.isEmpty && replace.isEmpty { return nil }
                throw unsupported("SELECT * EXCEPT/REPLACE over a relation whose columns are unknown", location)
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
            let table = tableSQL(path)
            scope.sources.append(Source(name: aliasName.lowercased(), qualifier: quoteIdentifier(aliasName), columns: catalog.columns(relationName(path))))
            return "\(table) AS \(quoteIdentifier(aliasName))"
        case .subquery(let query, let alias, _):
            let generated = try self.query(query, parent: scope.parent)
            let name = alias ?? fresh("subquery")
            scope.sources.append(Source(name: name.lowercased(), qualifier: quoteIdentifier(name), columns: generated.columns.isEmpty ? nil : generated.columns))
            return "(\n\(generated.sql)\n) AS \(quoteIdentifier(name))"
        case .unnest(let array, let alias, let offsetAlias, let location):
            let typed = try expression(array, scope: scope)
            let element = try unnestElementType(typed, location: location)
            let qualifier = fresh("unnest")
            var source = Source(name: (alias ?? "f0_").lowercased(), qualifier: quoteIdentifier(qualifier), columns: nil)
            source.isUnnest = true
            source.elementType = element
            source.offsetName = offsetAlias
            scope.sources.append(source)
            return unnestSQL(typed.sql, qualifier: quoteIdentifier(qualifier), withOffset: offsetAlias != nil)
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
                sql += " ON " + alwaysTrue
            }
            return sql
        }
    }
}
