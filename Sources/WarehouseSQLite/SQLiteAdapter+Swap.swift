import Foundation
import GRDB
import GRDBSQLite
import Warehouse

/// What an atomic replace did: the warehouse's response and every statement it ran, in order
/// (for dbt's `target/run/…` files).
public struct SwapOutcome: Sendable, Hashable {
    public var response: AdapterResponse
    public var statements: [String]

    public init(response: AdapterResponse, statements: [String]) {
        self.response = response
        self.statements = statements
    }
}

// MARK: - Atomic replacement (the `table` and `view` materializations)

extension SQLiteAdapter {
    /// The temporary name a table is built under before it is swapped in:
    /// `<identifier>__opsflow_tmp` in the same schema.
    public func temporaryRelation(for target: Relation) -> Relation {
        target.withIdentifier(target.identifier + "__opsflow_tmp")
    }

    /// Builds the table `target` from a query and swaps it in atomically.
    ///
    /// In one transaction (a savepoint when one is already open on this thread): drop any
    /// leftover temporary table, create `<identifier>__opsflow_tmp` with the query's columns
    /// (declared with the types of the columns they come from, so DATE, BOOL … survive), fill
    /// it, drop the old relation (table or view), and rename the temporary table to `target`.
    /// Readers see the old table until the commit, then the new one; views that select from
    /// `target` keep working (names are not rewritten on rename, see ``init(path:schema:dialect:)``).
    /// When anything fails — bad SQL, a killed process — the previous table stays as it was and
    /// no temporary table is left.
    /// - Parameter sql: one `SELECT` (or `WITH … SELECT`, `VALUES`); trailing `;` allowed.
    /// - Returns: `CREATE TABLE` with the number of rows written, and the statements run.
    /// - Throws: ``WarehouseError`` with SQLite's message and the failing statement.
    public func replaceTable(_ target: Relation, withSelect sql: String) throws -> Materialized {
        let outcome = try replaceTableReporting(target, withSelect: sql)
        return Materialized(response: outcome.response, executedSQL: outcome.statements)
    }

    /// ``replaceTable(_:withSelect:)``, also returning the statements it ran.
    public func replaceTableReporting(_ target: Relation, withSelect sql: String) throws -> SwapOutcome {
        // BigQuery SQL is translated first; its output types declare the columns (see BigQueryAdapter.swift).
        let translation = try bigQueryTranslation(sql)
        let select = Self.trimmedStatement(translation?.sql ?? sql)
        let temporary = render(temporaryRelation(for: target))
        let targetName = physicalName(target)
        var statements: [String] = []
        let rows = try transaction {
            try withWriter { db -> Int in
                func run(_ statement: String) throws {
                    statements.append(statement)
                    try db.execute(sql: statement)
                }
                try run("DROP TABLE IF EXISTS \(temporary)")
                // Compile the query once to learn its columns and their declared types.
                let probe = try db.makeStatement(sql: select)
                let count = probe.columnCount
                guard count > 0 else {
                    throw WarehouseError(.query, "the SQL of \(target) is not a query (it returns no columns)", sql: select)
                }
                var definitions: [String] = []
                for index in 0..<Int(count) {
                    let name = probe.columnNames[index]
                    if let type = sqlite3_column_decltype(probe.sqliteStatement, Int32(index)) {
                        definitions.append("\(quote(name)) \(String(cString: type))")
                    } else if let type = Self.declaredType(translation?.columns.count == Int(count) ? translation?.columns[index] : nil) {
                        definitions.append("\(quote(name)) \(type)")
                    } else {
                        definitions.append(quote(name))
                    }
                }
                try run("CREATE TABLE \(temporary) (\(definitions.joined(separator: ", ")))")
                let insert = "INSERT INTO \(temporary) \(select)"
                statements.append(insert)
                let filled = try db.makeStatement(sql: insert)
                try filled.execute()
                let written = db.changesCount
                if let old = try Self.lookup(targetName, in: db) {
                    try run("DROP \(old.kind == .view ? "VIEW" : "TABLE") \(quote(old.name))")
                }
                try run("ALTER TABLE \(temporary) RENAME TO \(render(target))")
                return written
            }
        }
        return SwapOutcome(
            response: AdapterResponse(message: "CREATE TABLE \(rows)", code: "CREATE TABLE", rowsAffected: rows),
            statements: statements)
    }

    /// Replaces the table `target` with a table of the given columns and rows (a seed, a load),
    /// atomically: built under the temporary name and swapped in, in one transaction, exactly as
    /// ``replaceTable(_:withSelect:)`` does.
    /// - Returns: the response (`INSERT` with the row count) and the statements run; the
    ///   `INSERT` is recorded once, with its placeholders, never with values.
    /// - Throws: ``WarehouseError`` (nothing changed).
    public func replaceTable(_ target: Relation, columns: [Warehouse.Column], rows: [[Cell]]) throws -> SwapOutcome {
        let temporary = temporaryRelation(for: target)
        let targetName = physicalName(target)
        var statements: [String] = []
        let inserted = try transaction { () throws -> Int in
            let dropStale = "DROP TABLE IF EXISTS \(render(temporary))"
            statements.append(dropStale)
            try executeNative(dropStale)
            try createTable(temporary, columns: columns)
            statements.append(try withWriter { db in
                try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE name = ?", arguments: [physicalName(temporary)]) ?? ""
            })
            let names = columns.map(\.name)
            let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
            statements.append("INSERT INTO \(render(temporary)) (\(names.map(quote).joined(separator: ", "))) VALUES (\(placeholders))")
            let count = try insert(into: temporary, columns: names, rows: rows)
            try withWriter { db in
                if let old = try Self.lookup(targetName, in: db) {
                    let drop = "DROP \(old.kind == .view ? "VIEW" : "TABLE") \(quote(old.name))"
                    statements.append(drop)
                    try db.execute(sql: drop)
                }
                let rename = "ALTER TABLE \(render(temporary)) RENAME TO \(render(target))"
                statements.append(rename)
                try db.execute(sql: rename)
            }
            return count
        }
        return SwapOutcome(response: AdapterResponse(message: "INSERT \(inserted)", code: "INSERT", rowsAffected: inserted),
                           statements: statements)
    }

    /// Replaces the view `target` (or a table of that name) with a view over `sql`, atomically.
    ///
    /// SQLite accepts a view naming a missing table or column; BigQuery does not. So the new
    /// view is compiled once before the commit, and a bad query rolls back to the old relation.
    /// - Returns: `CREATE VIEW`.
    /// - Throws: ``WarehouseError`` with SQLite's message.
    public func replaceView(_ target: Relation, withSelect sql: String) throws -> Materialized {
        let outcome = try replaceViewReporting(target, withSelect: sql)
        return Materialized(response: outcome.response, executedSQL: outcome.statements)
    }

    /// ``replaceView(_:withSelect:)``, also returning the statements it ran.
    public func replaceViewReporting(_ target: Relation, withSelect sql: String) throws -> SwapOutcome {
        let select = Self.trimmedStatement(try bigQueryTranslation(sql)?.sql ?? sql)
        let targetName = physicalName(target)
        var statements: [String] = []
        try transaction {
            try withWriter { db in
                if let old = try Self.lookup(targetName, in: db) {
                    let drop = "DROP \(old.kind == .view ? "VIEW" : "TABLE") \(quote(old.name))"
                    statements.append(drop)
                    try db.execute(sql: drop)
                }
                let create = "CREATE VIEW \(render(target)) AS \(select)"
                statements.append(create)
                // One statement only: a model is one query, never a script.
                try db.makeStatement(sql: create).execute()
                _ = try db.makeStatement(sql: "SELECT * FROM \(render(target))")
            }
        }
        return SwapOutcome(response: AdapterResponse(message: "CREATE VIEW", code: "CREATE VIEW"), statements: statements)
    }

    /// `sql` without surrounding white space and trailing semicolons.
    static func trimmedStatement(_ sql: String) -> String {
        var text = Substring(sql)
        while let last = text.last, last == ";" || last.isWhitespace { text = text.dropLast() }
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        return String(text)
    }
}
