// DDL and DML for PostgreSQL
// (https://cloud.google.com/bigquery/docs/reference/standard-sql/data-definition-language,
// https://cloud.google.com/bigquery/docs/reference/standard-sql/dml-syntax,
// https://www.postgresql.org/docs/15/sql-merge.html).

extension PostgresGenerator {
    /// The PostgreSQL statements for one BigQuery statement, and its output columns.
    func statement(_ statement: Statement) throws -> (sql: [String], columns: [SQLColumn]) {
        switch statement {
        case .query(let query):
            let generated = try self.query(query, parent: nil)
            return ([generated.sql], generated.columns)
        case .createTable(let name, let orReplace, let ifNotExists, let temporary, let columns, let query, let location):
            let table = temporary ? quoteIdentifier(name.last ?? "") : relationSQL(name)
            let create = "CREATE " + (temporary ? "TEMP " : "") + "TABLE " + (ifNotExists ? "IF NOT EXISTS " : "")
            var statements = orReplace ? ["DROP TABLE IF EXISTS \(table)"] : []
            if let query {
                guard columns.isEmpty else { throw refuse("CREATE TABLE with both columns and AS SELECT", location) }
                let generated = try self.query(query, parent: nil)
                statements.append("\(create)\(table) AS\n\(generated.sql)")
                return (statements, generated.columns)
            }
            let definitions = try columns.map { column -> String in
                guard let type = SQLType(column.type) else { throw refuse("column type \(column.type)", location) }
                return quoteIdentifier(column.name) + " " + (try postgresType(type, at: location)) + (column.notNull ? " NOT NULL" : "")
            }
            statements.append("\(create)\(table) (\(definitions.joined(separator: ", ")))")
            return (statements, [])
        case .createView(let name, let orReplace, let ifNotExists, let query, _):
            let view = relationSQL(name)
            let generated = try self.query(query, parent: nil)
            // CREATE OR REPLACE VIEW in PostgreSQL cannot change the columns; BigQuery's can.
            var statements = orReplace ? ["DROP VIEW IF EXISTS \(view)"] : []
            statements.append("CREATE VIEW " + (ifNotExists ? "IF NOT EXISTS " : "") + "\(view) AS\n\(generated.sql)")
            if ifNotExists { throw refuse("CREATE VIEW IF NOT EXISTS", query.location) }
            return (statements, generated.columns)
        case .drop(let kind, let name, let ifExists, _):
            let target = kind == "SCHEMA" ? quoteIdentifier(name.last ?? "") : relationSQL(name)
            return (["DROP \(kind) " + (ifExists ? "IF EXISTS " : "") + target], [])
        case .insert(let table, let columns, let source, _):
            return ([try insertSQL(table: table, columns: columns, source: source)], [])
        case .delete(let table, let alias, let whereClause, let location):
            return ([try deleteSQL(table: table, alias: alias, whereClause: whereClause, location: location)], [])
        case .update(let table, let alias, let assignments, let from, let whereClause, let location):
            return ([try updateSQL(table: table, alias: alias, assignments: assignments, from: from, whereClause: whereClause, location: location)], [])
        case .merge(let merge):
            return (try self.merge(merge), [])
        case .alterAddColumn(let table, let column, let ifNotExists, let location):
            guard let type = SQLType(column.type) else { throw refuse("column type \(column.type)", location) }
            return (["ALTER TABLE \(relationSQL(table)) ADD COLUMN " + (ifNotExists ? "IF NOT EXISTS " : "") + "\(quoteIdentifier(column.name)) \(try postgresType(type, at: location))"], [])
        case .alterDropColumn(let table, let column, _):
            return (["ALTER TABLE \(relationSQL(table)) DROP COLUMN \(quoteIdentifier(column))"], [])
        case .transactionControl(let word, _):
            return ([word], [])
        }
    }

    /// MERGE as PostgreSQL 15's MERGE (same order of clauses, same error when a target row is
    /// matched by two source rows). PostgreSQL 15 has no `WHEN NOT MATCHED BY SOURCE`: when
    /// those clauses all DELETE (as dbt-bigquery's insert_overwrite does), they become a DELETE
    /// run first — the rows it removes match no source row, so no other clause would have
    /// touched them, and rows the MERGE inserts match a source row. An UPDATE by source is refused
    /// (it could make a row match). Run the statements in one transaction.
    func merge(_ merge: Merge) throws -> [String] {
        var statements: [String] = []
        let bySource = merge.clauses.filter { $0.match == "NOT MATCHED BY SOURCE" }
        if !bySource.isEmpty {
            statements.append(try deleteNotMatchedBySource(merge, bySource))
        }
        let others = merge.clauses.filter { $0.match != "NOT MATCHED BY SOURCE" }
        if !others.isEmpty || bySource.isEmpty {
            var rest = merge
            rest.clauses = others
            statements.append(try mergeStatement(rest))
        }
        return statements
    }

    /// `WHEN NOT MATCHED BY SOURCE [AND c] THEN DELETE` clauses as one DELETE.
    private func deleteNotMatchedBySource(_ merge: Merge, _ clauses: [MergeClause]) throws -> String {
        let targetAlias = merge.targetAlias ?? merge.target.last ?? ""
        let outer = Scope(parent: nil)
        outer.sources.append(Source(name: targetAlias.lowercased(), qualifier: quoteIdentifier(targetAlias), columns: catalog.columns(relationName(merge.target))))
        var conditions: [String] = []
        for clause in clauses {
            guard case .delete = clause.action else {
                throw refuse("MERGE … WHEN NOT MATCHED BY SOURCE THEN UPDATE", merge.location, hint: "PostgreSQL 15's MERGE has no such clause")
            }
            guard let condition = clause.condition else {
                conditions = []
                break
            }
            conditions.append(try predicate(condition, scope: outer))
        }
        let inner = Scope(parent: outer)
        let sourceSQL = try fromItem(merge.source, scope: inner)
        let on = try predicate(merge.condition, scope: inner)
        if sourceSQL.contains(relationSQL(merge.target)) {
            // The MERGE after the DELETE would read the target already changed.
            throw refuse("MERGE … WHEN NOT MATCHED BY SOURCE with a source that reads the target", merge.location)
        }
        var sql = "DELETE FROM \(relationSQL(merge.target)) AS \(quoteIdentifier(targetAlias))\nWHERE NOT EXISTS (SELECT 1 FROM \(sourceSQL) WHERE \(on))"
        if !conditions.isEmpty { sql += " AND (" + conditions.joined(separator: " OR ") + ")" }
        return sql
    }

    private func mergeStatement(_ merge: Merge) throws -> String {
        let targetAlias = merge.targetAlias ?? merge.target.last ?? ""
        let alias = quoteIdentifier(targetAlias)
        let targetColumns = catalog.columns(relationName(merge.target))
        let scope = Scope(parent: nil)
        let sourceSQL = try fromItem(merge.source, scope: scope)
        let sourceColumns = scope.sources.last?.columns
        let sourceQualifier = scope.sources.last?.qualifier ?? ""
        scope.sources.append(Source(name: targetAlias.lowercased(), qualifier: alias, columns: targetColumns))
        var sql = "MERGE INTO \(relationSQL(merge.target)) AS \(alias)\nUSING \(sourceSQL)\nON \(try predicate(merge.condition, scope: scope))"
        for clause in merge.clauses {
            let extra = try clause.condition.map { " AND " + (try predicate($0, scope: scope)) } ?? ""
            switch (clause.match, clause.action) {
            case ("MATCHED", .update(let assignments)):
                let sets = try assignments.map { quoteIdentifier($0.column.last ?? "") + " = " + (try expression($0.value, scope: scope).sql) }
                sql += "\nWHEN MATCHED\(extra) THEN UPDATE SET \(sets.joined(separator: ", "))"
            case ("MATCHED", .delete):
                sql += "\nWHEN MATCHED\(extra) THEN DELETE"
            case ("NOT MATCHED", .insert(let columns, let values)):
                var names = columns
                var rendered: [String]
                if let values {
                    rendered = try values.map { try expression($0, scope: scope).sql }
                } else {
                    guard let known = sourceColumns ?? targetColumns else {
                        throw refuse("MERGE … INSERT ROW with unknown columns", merge.location)
                    }
                    if names.isEmpty { names = known.map(\.name) }
                    rendered = names.map { sourceQualifier + "." + quoteIdentifier($0) }
                }
                let list = names.isEmpty ? "" : " (" + names.map(quoteIdentifier).joined(separator: ", ") + ")"
                sql += "\nWHEN NOT MATCHED\(extra) THEN INSERT\(list) VALUES (\(rendered.joined(separator: ", ")))"
            default:
                throw SQLError(.semantic, construct: "MERGE", message: "WHEN \(clause.match) cannot take that action", location: merge.location)
            }
        }
        return sql
    }
}
