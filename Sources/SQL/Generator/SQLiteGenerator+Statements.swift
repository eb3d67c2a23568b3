// DDL and DML (https://cloud.google.com/bigquery/docs/reference/standard-sql/data-definition-language,
// https://cloud.google.com/bigquery/docs/reference/standard-sql/dml-syntax).

extension SQLiteGenerator {
    /// The SQLite statements for one BigQuery statement, and its output columns.
    func statement(_ statement: Statement) throws -> (sql: [String], columns: [SQLColumn]) {
        let generated = try statementText(statement)
        return (generated.sql.split(separator: Self.statementSeparator).map(String.init), generated.columns)
    }

    /// Separates the SQLite statements generated for one BigQuery statement (a character that
    /// cannot appear in generated SQL: string literals are quoted, never raw control text).
    static let statementSeparator: Character = "\u{1}"
    static let separator = "\u{1}"

    private func statementText(_ statement: Statement) throws -> (sql: String, columns: [SQLColumn]) {
        switch statement {
        case .query(let query):
            return try self.query(query, parent: nil)
        case .createTable(let name, let orReplace, let ifNotExists, let temporary, let columns, let query, _):
            let table = quoteIdentifier(relationName(name))
            let create = "CREATE " + (temporary ? "TEMP " : "") + "TABLE " + (ifNotExists ? "IF NOT EXISTS " : "")
            var sql = orReplace ? "DROP TABLE IF EXISTS \(table)" + Self.separator : ""
            if let query {
                let generated = try self.query(query, parent: nil)
                if generated.columns.isEmpty || ifNotExists {
                    sql += "\(create)\(table) AS\n\(generated.sql)"
                } else {
                    // Declared types keep the BigQuery type of every column (see SQLType.declaredType).
                    let definitions = generated.columns.map { column in
                        quoteIdentifier(column.name) + (column.type.map { " " + $0.declaredType } ?? "")
                    }
                    sql += "\(create)\(table) (\(definitions.joined(separator: ", ")))" + Self.separator + "INSERT INTO \(table)\n\(generated.sql)"
                }
                return (sql, generated.columns)
            }
            let definitions = columns.map { column in
                quoteIdentifier(column.name) + " " + (SQLType(column.type)?.declaredType ?? column.type.name) + (column.notNull ? " NOT NULL" : "")
            }
            sql += "\(create)\(table) (\(definitions.joined(separator: ", ")))"
            return (sql, [])
        case .createView(let name, let orReplace, let ifNotExists, let query, _):
            let view = quoteIdentifier(relationName(name))
            let generated = try self.query(query, parent: nil)
            var sql = orReplace ? "DROP VIEW IF EXISTS \(view)" + Self.separator : ""
            sql += "CREATE VIEW " + (ifNotExists ? "IF NOT EXISTS " : "") + "\(view) AS\n\(generated.sql)"
            return (sql, generated.columns)
        case .drop(let kind, let name, let ifExists, let location):
            guard kind != "SCHEMA" else { throw SQLError.unsupported("DROP SCHEMA (use the adapter's dropSchema)", location) }
            return ("DROP \(kind) " + (ifExists ? "IF EXISTS " : "") + quoteIdentifier(relationName(name)), [])
        case .insert(let table, let columns, let source, _):
            return (try insertSQL(table: table, columns: columns, source: source), [])
        case .delete(let table, let alias, let whereClause, let location):
            return (try deleteSQL(table: table, alias: alias, whereClause: whereClause, location: location), [])
        case .update(let table, let alias, let assignments, let from, let whereClause, let location):
            return (try updateSQL(table: table, alias: alias, assignments: assignments, from: from, whereClause: whereClause, location: location), [])
        case .merge(let merge):
            return (try self.merge(merge), [])
        case .alterAddColumn(let table, let column, _, _):
            let type = SQLType(column.type)?.declaredType ?? column.type.name
            return ("ALTER TABLE \(quoteIdentifier(relationName(table))) ADD COLUMN \(quoteIdentifier(column.name))" + (type.isEmpty ? "" : " \(type)"), [])
        case .alterDropColumn(let table, let column, _):
            return ("ALTER TABLE \(quoteIdentifier(relationName(table))) DROP COLUMN \(quoteIdentifier(column))", [])
        case .transactionControl(let word, _):
            return (word, [])
        }
    }

    /// MERGE as the statements SQLite has, in BigQuery's order of effect: rows matched are
    /// updated or deleted, source rows not matched are inserted, target rows not matched by the
    /// source are updated or deleted. The NOT MATCHED test is made before any change by marking
    /// the source rows first (a temporary table), so an UPDATE of the key cannot re-match rows.
    func merge(_ merge: Merge) throws -> String {
        let target = relationName(merge.target)
        let targetAlias = merge.targetAlias ?? merge.target.last ?? target
        let table = quoteIdentifier(target)
        let alias = quoteIdentifier(targetAlias)
        let targetColumns = catalog.columns(target)
        var statements: [String] = []
        func scopes() throws -> (Scope, String, String) {
            let scope = Scope(parent: nil)
            let sourceSQL = try fromItem(merge.source, scope: scope)
            let sourceName = scope.sources.last?.qualifier ?? "\"source\""
            scope.sources.append(Source(name: targetAlias.lowercased(), qualifier: alias, columns: targetColumns))
            return (scope, sourceSQL, sourceName)
        }
        for clause in merge.clauses {
            let (scope, sourceSQL, _) = try scopes()
            let on = try predicate(merge.condition, scope: scope)
            let extra = try clause.condition.map { " AND " + (try predicate($0, scope: scope)) } ?? ""
            switch (clause.match, clause.action) {
            case ("MATCHED", .update(let assignments)):
                let sets = try assignments.map { quoteIdentifier($0.column.last ?? "") + " = " + (try expression($0.value, scope: scope).sql) }
                statements.append("UPDATE \(table) AS \(alias) SET \(sets.joined(separator: ", "))\nFROM \(sourceSQL)\nWHERE \(on)\(extra)")
            case ("MATCHED", .delete):
                statements.append("DELETE FROM \(table) AS \(alias) WHERE EXISTS (SELECT 1 FROM \(sourceSQL) WHERE \(on)\(extra))")
            case ("NOT MATCHED", .insert(let columns, let values)):
                let insertScope = Scope(parent: nil)
                let sourceOnly = try fromItem(merge.source, scope: insertScope)
                let probeScope = Scope(parent: insertScope)
                probeScope.sources.append(Source(name: targetAlias.lowercased(), qualifier: alias, columns: targetColumns))
                let probe = try predicate(merge.condition, scope: probeScope)
                let condition = try clause.condition.map { " AND " + (try predicate($0, scope: insertScope)) } ?? ""
                var names = columns
                var rendered: [String]
                if let values {
                    rendered = try values.map { try expression($0, scope: insertScope).sql }
                } else {
                    guard let sourceColumns = insertScope.sources.last?.columns ?? targetColumns else {
                        throw SQLError.unsupported("MERGE … INSERT ROW with unknown columns", merge.location)
                    }
                    if names.isEmpty { names = sourceColumns.map(\.name) }
                    rendered = names.map { (insertScope.sources.last?.qualifier ?? "") + "." + quoteIdentifier($0) }
                }
                let list = names.isEmpty ? "" : " (" + names.map(quoteIdentifier).joined(separator: ", ") + ")"
                statements.append("INSERT INTO \(table)\(list)\nSELECT \(rendered.joined(separator: ", ")) FROM \(sourceOnly)\nWHERE NOT EXISTS (SELECT 1 FROM \(table) AS \(alias) WHERE \(probe))\(condition)")
            case ("NOT MATCHED BY SOURCE", .delete):
                let (_, sourceSQL2, _) = try scopes()
                let notExists = "NOT EXISTS (SELECT 1 FROM \(sourceSQL2) WHERE \(on))"
                statements.append("DELETE FROM \(table) AS \(alias) WHERE \(notExists)\(extra)")
            case ("NOT MATCHED BY SOURCE", .update(let assignments)):
                let sets = try assignments.map { quoteIdentifier($0.column.last ?? "") + " = " + (try expression($0.value, scope: scope).sql) }
                statements.append("UPDATE \(table) AS \(alias) SET \(sets.joined(separator: ", ")) WHERE NOT EXISTS (SELECT 1 FROM \(sourceSQL) WHERE \(on))\(extra)")
            default:
                throw SQLError(.semantic, construct: "MERGE", message: "WHEN \(clause.match) cannot take that action", location: merge.location)
            }
        }
        return statements.joined(separator: Self.separator)
    }
}
