// Queries: WITH, SELECT, FROM, set operations, ORDER BY / LIMIT
// (https://cloud.google.com/bigquery/docs/reference/standard-sql/query-syntax).

extension Parser {
    /// A query: `[WITH …] body [ORDER BY …] [LIMIT n [OFFSET m]]`.
    public mutating func query() throws -> Query {
        try enter()
        defer { leave() }
        let at = current.location
        var with: [CommonTableExpression] = []
        var recursive = false
        if accept("WITH") {
            recursive = accept("RECURSIVE")
            repeat {
                let cteAt = current.location
                let name = try identifier("a CTE name")
                try expect("AS")
                try expectSymbol("(")
                let query = try self.query()
                try expectSymbol(")")
                with.append(CommonTableExpression(name: name, query: query, location: cteAt))
            } while acceptSymbol(",")
        }
        var query = Query(body: try setExpression(), at: at)
        query.with = with
        query.recursive = recursive
        if accept("ORDER") {
            try expect("BY")
            query.orderBy = try orderItems()
        }
        if accept("LIMIT") {
            query.limit = try expression()
            if accept("OFFSET") { query.offset = try expression() }
        }
        return query
    }

    mutating func setExpression() throws -> SetExpression {
        var left = try setOperand()
        while current.isWord("UNION") || current.isWord("INTERSECT") || current.isWord("EXCEPT") {
            let token = advance()
            let all: Bool
            if accept("ALL") {
                all = true
            } else if accept("DISTINCT") {
                all = false
            } else {
                // GoogleSQL requires ALL or DISTINCT after a set operator.
                throw SQLError(.syntax, construct: "\(token.upper)", message: "\(token.upper) needs ALL or DISTINCT in BigQuery", location: token.location)
            }
            let right = try setOperand()
            left = .setOperation(op: token.upper, all: all, left, right, location: token.location)
        }
        return left
    }

    mutating func setOperand() throws -> SetExpression {
        if current.isSymbol("(") {
            position += 1
            let inner = try query()
            try expectSymbol(")")
            if inner.with.isEmpty && inner.orderBy.isEmpty && inner.limit == nil { return inner.body }
            return .query(inner)
        }
        return .select(try select())
    }

    mutating func select() throws -> Select {
        let at = current.location
        try expect("SELECT")
        var select = Select(at: at)
        if accept("AS") {
            if accept("STRUCT") {
                select.asKind = "STRUCT"
            } else if current.isWord("VALUE") {
                position += 1
                select.asKind = "VALUE"
            } else {
                throw error("expected STRUCT or VALUE after SELECT AS")
            }
        }
        if accept("DISTINCT") { select.distinct = true } else { _ = accept("ALL") }
        if accept("AS") {
            if accept("STRUCT") { select.asKind = "STRUCT" } else if current.isWord("VALUE") { position += 1; select.asKind = "VALUE" }
        }
        repeat {
            if current.isWord("FROM") { break }  // trailing comma before FROM is allowed
            select.items.append(try selectItem())
        } while acceptSymbol(",")
        if select.items.isEmpty { throw error("SELECT needs at least one column") }
        if accept("FROM") { select.from = try fromClause() }
        if accept("WHERE") { select.whereClause = try expression() }
        if accept("GROUP") {
            try expect("BY")
            if accept("ROLLUP") {
                select.rollup = true
                try expectSymbol("(")
                repeat { select.groupBy.append(try expression()) } while acceptSymbol(",")
                try expectSymbol(")")
            } else {
                if current.isWord("CUBE") || current.isWord("GROUPING") { throw SQLError.unsupported("GROUP BY \(current.upper)", current.location) }
                repeat { select.groupBy.append(try expression()) } while acceptSymbol(",")
            }
        }
        if accept("HAVING") { select.having = try expression() }
        if accept("QUALIFY") { select.qualify = try expression() }
        if accept("WINDOW") {
            repeat {
                let name = try identifier("a window name")
                try expect("AS")
                try expectSymbol("(")
                select.windows[name.lowercased()] = try windowSpecification()
                try expectSymbol(")")
            } while acceptSymbol(",")
        }
        return select
    }

    mutating func selectItem() throws -> SelectItem {
        let at = current.location
        // `*` or `path.*`
        var ahead = 0
        var qualifier: [String] = []
        while (peek(ahead).kind == .word || peek(ahead).kind == .quotedIdentifier) && peek(ahead + 1).isSymbol(".") {
            qualifier.append(peek(ahead).text)
            ahead += 2
        }
        if peek(ahead).isSymbol("*") {
            position += ahead + 1
            var except: [String] = []
            var replace: [Expression.Field] = []
            if accept("EXCEPT") {
                try expectSymbol("(")
                repeat { except.append(try identifier()) } while acceptSymbol(",")
                try expectSymbol(")")
            }
            if accept("REPLACE") {
                try expectSymbol("(")
                repeat {
                    let value = try expression()
                    _ = accept("AS")
                    replace.append(Expression.Field(value: value, name: try identifier()))
                } while acceptSymbol(",")
                try expectSymbol(")")
            }
            return .star(qualifier: qualifier.isEmpty ? nil : qualifier, except: except, replace: replace, location: at)
        }
        let value = try expression()
        var alias: String?
        if accept("AS") {
            alias = try identifier("an alias")
        } else if let name = acceptIdentifier() {
            alias = name
        }
        return .expression(value, alias: alias)
    }

    mutating func fromClause() throws -> FromItem {
        var left = try fromPrimary()
        while true {
            let at = current.location
            if acceptSymbol(",") {
                left = .join(kind: "CROSS", left, try fromPrimary(), on: nil, using: [], location: at)
                continue
            }
            var kind: String?
            if accept("CROSS") {
                try expect("JOIN")
                kind = "CROSS"
            } else if accept("INNER") {
                try expect("JOIN")
                kind = "INNER"
            } else if accept("JOIN") {
                kind = "INNER"
            } else if current.isWord("LEFT") || current.isWord("RIGHT") || current.isWord("FULL") {
                let side = advance().upper
                _ = accept("OUTER")
                try expect("JOIN")
                kind = side
            } else if current.isWord("NATURAL") {
                throw SQLError.unsupported("NATURAL JOIN", at)
            }
            guard let kind else { return left }
            let right = try fromPrimary()
            var on: Expression?
            var using: [String] = []
            if kind != "CROSS" {
                if accept("ON") {
                    on = try expression()
                } else if accept("USING") {
                    try expectSymbol("(")
                    repeat { using.append(try identifier()) } while acceptSymbol(",")
                    try expectSymbol(")")
                } else if case .unnest = right {
                    // `JOIN UNNEST(…)` without a condition is a correlated cross join.
                } else {
                    throw error("expected ON or USING after \(kind) JOIN")
                }
            }
            left = .join(kind: kind, left, right, on: on, using: using, location: at)
        }
    }

    mutating func fromPrimary() throws -> FromItem {
        let at = current.location
        try enter()
        defer { leave() }
        if accept("UNNEST") {
            try expectSymbol("(")
            let array = try expression()
            try expectSymbol(")")
            let alias = try tableAlias()
            var offsetAlias: String?
            if accept("WITH") {
                guard current.isWord("OFFSET") else { throw error("expected OFFSET after WITH") }
                position += 1
                offsetAlias = try tableAlias() ?? "offset"
            }
            return .unnest(array, alias: alias, offsetAlias: offsetAlias, location: at)
        }
        if current.isSymbol("(") {
            if startsQueryInParentheses() {
                position += 1
                let query = try self.query()
                try expectSymbol(")")
                return .subquery(query, alias: try tableAlias(), location: at)
            }
            position += 1
            let inner = try fromClause()
            try expectSymbol(")")
            return inner
        }
        // `FROM array_path` (an implicit UNNEST of a correlated array) is told apart later.
        let path = try tablePath()
        if current.isWord("FOR") && peek().isWord("SYSTEM_TIME") { throw SQLError.unsupported("FOR SYSTEM_TIME AS OF", current.location) }
        if current.isWord("TABLESAMPLE") { throw SQLError.unsupported("TABLESAMPLE", current.location) }
        return .table(path: path, alias: try tableAlias(), location: at)
    }

    mutating func tableAlias() throws -> String? {
        if accept("AS") { return try identifier("an alias") }
        // Words that may follow a table and are not reserved keywords.
        if current.kind == .word, ["OFFSET"].contains(current.upper) { return nil }
        return acceptIdentifier()
    }
}
