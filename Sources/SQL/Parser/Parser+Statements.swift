// DDL and DML: what materializations and hooks run
// (https://cloud.google.com/bigquery/docs/reference/standard-sql/data-definition-language,
// https://cloud.google.com/bigquery/docs/reference/standard-sql/dml-syntax).

extension Parser {
    mutating func statement() throws -> Statement {
        let at = current.location
        if current.isWord("SELECT") || current.isWord("WITH") || current.isSymbol("(") {
            return .query(try query())
        }
        guard current.kind == .word else { throw error("expected a statement, found \(describe(current))") }
        switch current.upper {
        case "CREATE": return try create()
        case "DROP":
            position += 1
            let kind = advance().upper
            guard ["TABLE", "VIEW", "SCHEMA"].contains(kind) else { throw SQLError.unsupported("DROP \(kind)", at) }
            var ifExists = false
            if accept("IF") {
                try expect("EXISTS")
                ifExists = true
            }
            return .drop(kind: kind, name: try tablePath(), ifExists: ifExists, location: at)
        case "INSERT":
            position += 1
            _ = accept("INTO")
            let table = try tablePath()
            var columns: [String] = []
            if current.isSymbol("("), !startsQueryInParentheses() {
                position += 1
                repeat { columns.append(try identifier("a column name")) } while acceptSymbol(",")
                try expectSymbol(")")
            }
            if current.isWord("VALUES") {
                position += 1
                var rows: [[Expression]] = []
                repeat {
                    try expectSymbol("(")
                    rows.append(try list(until: ")"))
                } while acceptSymbol(",")
                return .insert(table: table, columns: columns, source: .values(rows), location: at)
            }
            return .insert(table: table, columns: columns, source: .query(try query()), location: at)
        case "DELETE":
            position += 1
            _ = accept("FROM")
            let table = try tablePath()
            let alias = try tableAlias()
            var condition: Expression?
            if accept("WHERE") { condition = try expression() }
            return .delete(table: table, alias: alias, whereClause: condition, location: at)
        case "UPDATE":
            position += 1
            let table = try tablePath()
            let alias = try tableAlias()
            try expect("SET")
            let assignments = try assignmentList()
            var from: FromItem?
            if accept("FROM") { from = try fromClause() }
            var condition: Expression?
            if accept("WHERE") { condition = try expression() }
            return .update(table: table, alias: alias, assignments: assignments, from: from, whereClause: condition, location: at)
        case "MERGE": return try merge()
        case "ALTER":
            position += 1
            try expect("TABLE")
            _ = accept("IF") && accept("EXISTS")
            let table = try tablePath()
            if current.isWord("ADD") {
                position += 1
                _ = current.isWord("COLUMN") ? advance() : current
                var ifNotExists = false
                if accept("IF") {
                    try expect("NOT")
                    try expect("EXISTS")
                    ifNotExists = true
                }
                let name = try identifier("a column name")
                // The runner adds columns of unknown type without one (SQLite allows it).
                let type = current.kind == .word ? try typeName() : TypeName("")
                return .alterAddColumn(table: table, column: ColumnDefinition(name: name, type: type, notNull: false), ifNotExists: ifNotExists, location: at)
            }
            if current.isWord("DROP") {
                position += 1
                _ = current.isWord("COLUMN") ? advance() : current
                return .alterDropColumn(table: table, column: try identifier("a column name"), location: at)
            }
            throw SQLError.unsupported("ALTER TABLE \(current.upper)", current.location)
        case "BEGIN", "COMMIT", "ROLLBACK":
            let word = advance().upper
            if current.isWord("TRANSACTION") { position += 1 }
            return .transactionControl(word == "BEGIN" ? "BEGIN" : word, location: at)
        default:
            throw SQLError.unsupported("statement \(current.upper)", at)
        }
    }

    mutating func create() throws -> Statement {
        let at = advance().location
        var orReplace = false
        if accept("OR") {
            guard current.isWord("REPLACE") else { throw error("expected REPLACE after CREATE OR") }
            position += 1
            orReplace = true
        }
        var temporary = false
        if current.isWord("TEMP") || current.isWord("TEMPORARY") {
            position += 1
            temporary = true
        }
        let kind = advance().upper
        var ifNotExists = false
        if accept("IF") {
            try expect("NOT")
            try expect("EXISTS")
            ifNotExists = true
        }
        switch kind {
        case "TABLE":
            let name = try tablePath()
            var columns: [ColumnDefinition] = []
            if current.isSymbol("("), !startsQueryInParentheses() {
                position += 1
                repeat {
                    let column = try identifier("a column name")
                    let type = try typeName()
                    var notNull = false
                    if accept("NOT") {
                        try expect("NULL")
                        notNull = true
                    }
                    columns.append(ColumnDefinition(name: column, type: type, notNull: notNull))
                } while acceptSymbol(",")
                try expectSymbol(")")
            }
            try skipTableOptions()
            var query: Query?
            if accept("AS") { query = try self.query() }
            if columns.isEmpty && query == nil { throw error("CREATE TABLE needs columns or AS query") }
            return .createTable(name: name, orReplace: orReplace, ifNotExists: ifNotExists, temporary: temporary, columns: columns, query: query, location: at)
        case "VIEW":
            let name = try tablePath()
            try skipTableOptions()
            try expect("AS")
            return .createView(name: name, orReplace: orReplace, ifNotExists: ifNotExists, query: try query(), location: at)
        default:
            throw SQLError.unsupported("CREATE \(kind)", at)
        }
    }

    /// `PARTITION BY`, `CLUSTER BY` and `OPTIONS(…)` change storage, not results: skipped.
    mutating func skipTableOptions() throws {
        while true {
            if accept("PARTITION") || current.isWord("CLUSTER") {
                if current.isWord("CLUSTER") { position += 1 }
                try expect("BY")
                repeat { _ = try expression() } while acceptSymbol(",")
            } else if current.isWord("OPTIONS") {
                position += 1
                try expectSymbol("(")
                var level = 1
                while level > 0 {
                    if current.kind == .end { throw error("unterminated OPTIONS") }
                    if current.isSymbol("(") { level += 1 }
                    if current.isSymbol(")") { level -= 1 }
                    position += 1
                }
            } else {
                return
            }
        }
    }

    mutating func assignmentList() throws -> [Assignment] {
        var assignments: [Assignment] = []
        repeat {
            var column = [try identifier("a column name")]
            while acceptSymbol(".") { column.append(try identifier("a column name")) }
            try expectSymbol("=")
            assignments.append(Assignment(column: column, value: try expression()))
        } while acceptSymbol(",")
        return assignments
    }

    mutating func merge() throws -> Statement {
        let at = advance().location
        _ = accept("INTO")
        let target = try tablePath()
        let targetAlias = try tableAlias()
        try expect("USING")
        let source = try fromPrimary()
        try expect("ON")
        let condition = try expression()
        var clauses: [MergeClause] = []
        while accept("WHEN") {
            var match = "MATCHED"
            if accept("NOT") {
                guard current.isWord("MATCHED") else { throw error("expected MATCHED") }
                position += 1
                match = "NOT MATCHED"
                if accept("BY") {
                    if current.isWord("SOURCE") { match = "NOT MATCHED BY SOURCE" } else if !current.isWord("TARGET") {
                        throw error("expected TARGET or SOURCE")
                    }
                    position += 1
                }
            } else {
                guard current.isWord("MATCHED") else { throw error("expected MATCHED") }
                position += 1
            }
            var clauseCondition: Expression?
            if accept("AND") { clauseCondition = try expression() }
            try expect("THEN")
            let action: MergeAction
            if accept("UPDATE") {
                try expect("SET")
                action = .update(try assignmentList())
            } else if current.isWord("DELETE") {
                position += 1
                action = .delete
            } else if current.isWord("INSERT") {
                position += 1
                var columns: [String] = []
                if acceptSymbol("(") {
                    repeat { columns.append(try identifier("a column name")) } while acceptSymbol(",")
                    try expectSymbol(")")
                }
                if current.isWord("ROW") {
                    position += 1
                    action = .insert(columns: columns, values: nil)
                } else {
                    guard current.isWord("VALUES") else { throw error("expected VALUES or ROW") }
                    position += 1
                    try expectSymbol("(")
                    action = .insert(columns: columns, values: try list(until: ")"))
                }
            } else {
                throw error("expected UPDATE, DELETE or INSERT")
            }
            clauses.append(MergeClause(match: match, condition: clauseCondition, action: action))
        }
        guard !clauses.isEmpty else { throw error("MERGE needs at least one WHEN clause") }
        return .merge(Merge(target: target, targetAlias: targetAlias, source: source, condition: condition, clauses: clauses, location: at))
    }
}
