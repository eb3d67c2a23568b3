import Foundation
import GRDB
import SQL
import Warehouse

// MARK: - BigQuery SQL on the embedded warehouse

/// When the adapter's ``SQLiteAdapter/dialect`` is `"bigquery"`, the SQL of the user's models —
/// the query given to ``SQLiteAdapter/replaceTable(_:withSelect:)`` and
/// ``SQLiteAdapter/replaceView(_:withSelect:)``, and everything passed to
/// ``SQLiteAdapter/execute(_:)`` and ``SQLiteAdapter/query(_:limit:)`` (hooks, `run_query`, data
/// tests, the runner's incremental statements) — is BigQuery SQL, translated to SQLite by
/// ``SQLTranslator`` before it runs. The adapter's own DDL is SQLite SQL and is never translated.
///
/// In that dialect ``SQLiteAdapter/quote(_:)`` writes backticks (`` `dev.orders` ``), which both
/// BigQuery and SQLite read as one identifier, so SQL the runner builds from quoted names is
/// BigQuery SQL too.
extension SQLiteAdapter {
    /// Whether models here are written in BigQuery SQL.
    public var translatesBigQuery: Bool { dialect.lowercased() == "bigquery" }

    /// What the translator learns from this database: the columns (and logical types) of tables
    /// and views, and which relations are views.
    public var sqlCatalog: SQLCatalog {
        SQLCatalog(columns: { [weak self] name in
            guard let self else { return nil }
            let columns = (try? self.withReader { db -> [Warehouse.Column]? in
                guard let found = try Self.lookup(name, in: db) else { return nil }
                let rows = try Row.fetchAll(db, sql: "SELECT name, type, hidden FROM pragma_table_xinfo(?)", arguments: [found.name])
                return rows.compactMap { row -> Warehouse.Column? in
                    let hidden: Int = row["hidden"] ?? 0
                    if hidden == 1 { return nil }
                    let declared: String = row["type"] ?? ""
                    return Warehouse.Column(name: row["name"] ?? "", dataType: declared)
                }
            }) ?? nil
            return columns?.map { column in
                var declared = column.dataType.uppercased()
                if declared.hasSuffix(" TEXT") { declared = String(declared.dropLast(5)) }
                let logical = SQLiteTypes.logicalType(forDeclared: declared)
                return SQLColumn(name: column.name, type: SQLType(logical: logical.isEmpty ? declared : logical))
            }
        }, isView: { [weak self] name in
            guard let self else { return false }
            return ((try? self.withReader { db in try Self.lookup(name, in: db) }) ?? nil)?.kind == .view
        })
    }

    /// The translation of BigQuery `sql` for this database (its catalog known), or nil when the
    /// adapter's dialect is not BigQuery.
    /// - Throws: ``WarehouseError`` (`unsupported` or `query`) naming the construct, line and column.
    public func bigQueryTranslation(_ sql: String) throws -> Translation? {
        guard translatesBigQuery else { return nil }
        do {
            return try SQLTranslator.translate(sql, from: .bigQuery, to: .sqlite, catalog: sqlCatalog)
        } catch let error as SQLError {
            throw Self.warehouseError(error, sql: sql)
        }
    }

    /// A translator error as a ``WarehouseError``: `unsupported` for constructs not translated,
    /// `query` for SQL BigQuery itself rejects; the message names the line and column.
    static func warehouseError(_ error: SQLError, sql: String) -> WarehouseError {
        let kind: WarehouseError.Kind = error.kind == .unsupported ? .unsupported : .query
        var message = "BigQuery SQL at line \(error.line), column \(error.column): \(error.message)"
        if let hint = error.hint { message += " (\(hint))" }
        return WarehouseError(kind, message, sql: sql)
    }

    /// Runs one or more `;`-separated statements (BigQuery SQL when ``translatesBigQuery``, see
    /// the extension's overview) and returns the response of the last; see ``executeNative(_:)``.
    @discardableResult
    public func execute(_ sql: String) throws -> AdapterResponse {
        guard let translation = try bigQueryTranslation(sql) else { return try executeNative(sql) }
        return try executeNative(translation.sql)
    }

    /// Runs a query (BigQuery SQL when ``translatesBigQuery``) and returns its columns and at most
    /// `limit` rows; see ``queryNative(_:limit:)``. Translated columns carry the BigQuery type the
    /// translator gave them (DATE, TIMESTAMP, BOOL …), and BOOL values read back as booleans.
    public func query(_ sql: String, limit: Int?) throws -> QueryResult {
        guard let translation = try bigQueryTranslation(sql) else { return try queryNative(sql, limit: limit) }
        // Statements before the last run first: SQLite compiles a statement against the schema
        // as it is, so a SELECT cannot be prepared before the CREATE TABLE it reads has run.
        if translation.statements.count > 1 {
            try executeNative(translation.statements.dropLast().joined(separator: ";\n"))
        }
        let result = try queryNative(translation.statements.last ?? translation.sql, limit: limit)
        return Self.typed(result, translation.columns)
    }

    /// `result` with the translator's column types applied where known.
    static func typed(_ result: QueryResult, _ columns: [SQLColumn]) -> QueryResult {
        guard columns.count == result.columns.count else { return result }
        var typed = result
        for (index, column) in columns.enumerated() {
            guard let type = column.type else { continue }
            let name: String
            switch type {
            case .array: name = "ARRAY"
            case .structure: name = "STRUCT"
            default: name = type.description
            }
            typed.columns[index].dataType = name
            if type == .bool {
                for row in typed.rows.indices {
                    if case .integer(let value) = typed.rows[row][index], value == 0 || value == 1 {
                        typed.rows[row][index] = .bool(value == 1)
                    }
                }
            }
        }
        return typed
    }

    /// The SQLite declared type for an output column the translator typed (nil: let SQLite decide).
    static func declaredType(_ column: SQLColumn?) -> String? {
        column?.type?.declaredType
    }
}
