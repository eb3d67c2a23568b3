import Foundation
import SQL
import Warehouse

// MARK: - BigQuery SQL on PostgreSQL

/// When the target says `dialect: bigquery`, the SQL of the user's models — the query given to
/// ``PostgresAdapter/replaceTable(_:withSelect:)``, ``PostgresAdapter/replaceView(_:withSelect:)``
/// and ``PostgresAdapter/materialize(_:)``, and everything passed to ``PostgresAdapter/execute(_:)``
/// and ``PostgresAdapter/query(_:limit:)`` (hooks, `run_query`, data tests) — is BigQuery SQL,
/// translated to PostgreSQL 15 by ``SQLTranslator`` before it runs, as the embedded warehouse
/// does with the same setting. The adapter's own DDL and DML (swap, rename, drop, `MERGE`,
/// `COPY`, introspection) is PostgreSQL SQL and is never translated.
///
/// In that dialect ``PostgresAdapter/quote(_:)`` and ``PostgresAdapter/render(_:)`` write
/// BigQuery names (`` `dev`.`orders` ``, which the translator makes `"dev"."orders"`), seeds and
/// loads arrive with BigQuery types (`INT64`, `TIMESTAMP` …), and ``PostgresAdapter/columns(of:)``
/// answers with BigQuery types. Connections run with `TimeZone=UTC` (see ``PostgresProfile/dialect``).
extension PostgresAdapter {
    /// Whether models here are written in BigQuery SQL (`dialect: bigquery`).
    public var translatesBigQuery: Bool { dialect == "bigquery" }

    static let catalogColumnsQuery = """
        select column_name, data_type, udt_name from information_schema.columns
        where table_schema = coalesce($1, current_schema()) and table_name = $2
        order by ordinal_position
        """

    static let catalogViewQuery = """
        select 1 from information_schema.views
        where table_schema = coalesce($1, current_schema()) and table_name = $2
        """

    /// What the translator learns from this database: the columns of tables and views (their
    /// BigQuery types by ``SQLType/init(postgres:udtName:)``; nil for a type with no BigQuery
    /// counterpart) and which relations are views. A name is `schema.table` (the translator's
    /// form) or `table` (the current schema). Looked up on the connection of the transaction open
    /// on this thread, so relations it created are seen.
    public var sqlCatalog: SQLCatalog {
        SQLCatalog(columns: { [weak self] name in
            guard let self else { return nil }
            let (schema, table) = Self.catalogName(name)
            guard let result = try? withConnection({ try $0.execute(Self.catalogColumnsQuery, parameters: [schema, table]) }),
                  !result.rows.isEmpty else { return nil }
            return result.rows.map { row in
                SQLColumn(name: row[0] ?? "", type: SQLType(postgres: row[1] ?? "", udtName: row[2]))
            }
        }, isView: { [weak self] name in
            guard let self else { return false }
            let (schema, table) = Self.catalogName(name)
            let result = try? withConnection { try $0.execute(Self.catalogViewQuery, parameters: [schema, table]) }
            return !(result?.rows.isEmpty ?? true)
        })
    }

    /// `schema.table` split at its last dot; a name without one is in the current schema (nil).
    static func catalogName(_ name: String) -> (schema: String?, table: String) {
        guard let dot = name.lastIndex(of: ".") else { return (nil, name) }
        return (String(name[..<dot]), String(name[name.index(after: dot)...]))
    }

    /// The translation of BigQuery `sql` to PostgreSQL (its catalog known), or nil when the
    /// target's dialect is not BigQuery.
    /// - Throws: ``WarehouseError`` (`unsupported` or `query`) naming the construct, line and column.
    public func bigQueryTranslation(_ sql: String) throws -> Translation? {
        guard translatesBigQuery else { return nil }
        do {
            return try SQLTranslator.translate(sql, from: .bigQuery, to: .postgres, catalog: sqlCatalog)
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

    /// A model's query as PostgreSQL SQL: translated in the BigQuery dialect (where it must stay
    /// one query: it goes inside `create … as (…)`), as written otherwise.
    /// - Throws: ``WarehouseError`` when it does not translate or is not a single query.
    func modelQuery(_ sql: String) throws -> String {
        guard let translation = try bigQueryTranslation(sql) else { return sql }
        guard translation.isQuery, translation.statements.count == 1 else {
            throw WarehouseError(.query, "a model's SQL must be one query (SELECT or WITH) to be built as a table or view", sql: sql)
        }
        return translation.statements[0]
    }

    /// Runs one or more `;`-separated statements (BigQuery SQL with `dialect: bigquery`, see the
    /// extension's overview) and returns the response of the last; see ``executeNative(_:)``.
    /// A BigQuery statement that becomes several (`CREATE OR REPLACE` is `DROP` + `CREATE`) runs
    /// in one transaction (a savepoint inside an open one).
    /// - Throws: ``WarehouseError`` from the translator or PostgreSQL.
    @discardableResult
    public func execute(_ sql: String) throws -> AdapterResponse {
        guard let translation = try bigQueryTranslation(sql) else { return try executeNative(sql) }
        guard translation.statements.count > 1 else { return try executeNative(translation.sql) }
        return try transaction { try executeNative(translation.sql) }
    }

    /// Runs a query (BigQuery SQL with `dialect: bigquery`) and returns its columns and at most
    /// `limit` rows; see ``queryNative(_:limit:)``. Translated columns carry the BigQuery type the
    /// translator gave them (`DATE`, `TIMESTAMP`, `BOOL` …), others PostgreSQL's type as BigQuery
    /// names it.
    /// - Throws: ``WarehouseError`` from the translator or PostgreSQL.
    public func query(_ sql: String, limit: Int?) throws -> QueryResult {
        guard let translation = try bigQueryTranslation(sql) else { return try queryNative(sql, limit: limit) }
        let result = translation.statements.count > 1
            ? try transaction { try queryNative(translation.sql, limit: limit) }
            : try queryNative(translation.sql, limit: limit)
        return Self.typed(result, translation.columns)
    }

    /// `result` with BigQuery type names: the translator's where it knows them, else the
    /// PostgreSQL type's counterpart, else PostgreSQL's name.
    static func typed(_ result: QueryResult, _ columns: [SQLColumn]) -> QueryResult {
        var typed = result
        for index in typed.columns.indices {
            let known = columns.count == result.columns.count ? columns[index].type : nil
            if let type = known ?? PostgresTypes.bigQueryType(ofPostgres: typed.columns[index].dataType) {
                typed.columns[index].dataType = PostgresTypes.bigQueryName(type)
            }
        }
        return typed
    }
}
