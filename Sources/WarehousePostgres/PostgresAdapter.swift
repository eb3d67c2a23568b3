import CLibPQ
import Foundation
import Warehouse

/// A PostgreSQL warehouse (the `postgres` profile type) through libpq.
///
/// ```swift
/// let profile = try PostgresProfile(settings: ["host": "127.0.0.1", "port": "5432", "user": "postgres",
///                                              "dbname": "analytics", "schema": "dev"])
/// let warehouse = try PostgresAdapter(profile: profile)
/// try warehouse.execute(#"create table "dev"."orders" as select 1 as id"#)
/// let rows = try warehouse.query(#"select * from "dev"."orders""#, limit: 10)
/// ```
///
/// Threads: every method may be called from any thread. Each call outside a transaction borrows
/// an idle connection from the pool (opening one when none is idle: the pool grows to the number
/// of threads working at once) and gives it back when done, so the runner's `--threads` workers
/// each end up with their own connection. ``transaction(_:)`` pins its connection to the calling
/// thread until it ends: statements issued through this adapter on that thread inside the body run
/// on that connection and join the transaction; a nested call becomes a savepoint.
///
/// Relations are written as dbt-postgres writes them: every part quoted, `"db"."schema"."name"`.
/// With `dialect: bigquery` in the target, models are BigQuery SQL translated to PostgreSQL and
/// names are written BigQuery's way (see `PostgresAdapter+BigQuery.swift`); the adapter's own
/// statements always use ``nativeRender(_:)`` and ``nativeQuote(_:)``.
///
/// Round trips: a model built through ``materialize(_:)`` costs one (an incremental run two),
/// whatever number of statements dbt-postgres's materialization has — they go to the server as one
/// multi-statement string, which PostgreSQL runs as one implicit transaction; relations are looked
/// up in a per-schema cache listed once (``RelationCache``); a transaction's `begin` travels with
/// its first statement. ``statistics`` counts round trips and the time spent in them.
///
/// `@unchecked Sendable`: the pool's state is guarded by its lock; a connection is used by one
/// thread at a time.
public final class PostgresAdapter: Adapter, @unchecked Sendable {
    public let type = "postgres"
    /// `postgres`, or `bigquery` when the target says `dialect: bigquery` (models in BigQuery SQL,
    /// translated before they run: see ``translatesBigQuery``).
    public let dialect: String
    /// The target (never printed with its password).
    public let profile: PostgresProfile

    let pool: ConnectionPool
    /// Round trips and the time spent in them, over every connection of this adapter.
    public let statistics = StatementStatistics()
    /// The relations of the schemas ``materialize(_:)`` builds into, listed once per adapter.
    let relationCache = RelationCache()
    private let schemaLock = NSLock()
    private var knownSchemas: Set<String> = []
    /// Held while a schema is created outside a transaction: a schema is known only once it
    /// exists, and other workers wait for it rather than build into a schema not yet there.
    let schemaCreationLock = NSLock()

    /// Opens the first connection, so that a wrong host, port, user or password fails here
    /// (as `dbt debug` does), with libpq's message.
    /// - Throws: ``WarehouseError`` (`connection`).
    public init(profile: PostgresProfile) throws {
        self.profile = profile
        dialect = profile.dialect
        pool = ConnectionPool(profile: profile, statistics: statistics)
        let first = try pool.checkout()
        pool.checkin(first.connection)
    }

    /// Opens the adapter for a target's settings from `profiles.yml` (see ``PostgresProfile``).
    public convenience init(settings: [String: String]) throws {
        try self.init(profile: PostgresProfile(settings: settings))
    }

    // MARK: - Statements

    /// Runs one or more `;`-separated statements and returns the response of the last one
    /// (dbt-postgres's: the command tag, e.g. `INSERT 0 3`, and its row count).
    ///
    /// Outside ``transaction(_:)`` the statements commit on their own (autocommit). The SQL is
    /// PostgreSQL's, never translated (``execute(_:)`` translates BigQuery SQL first).
    /// - Throws: ``WarehouseError`` with PostgreSQL's message and the failing SQL.
    @discardableResult
    public func executeNative(_ sql: String) throws -> AdapterResponse {
        try withConnection { try $0.execute(sql).response }
    }

    /// Runs a query and returns its columns (with PostgreSQL's type names) and at most `limit` rows.
    /// Several statements are allowed: the rows of the last one are returned. The SQL is
    /// PostgreSQL's, never translated (``query(_:limit:)`` translates BigQuery SQL first).
    /// - Throws: ``WarehouseError`` with PostgreSQL's message.
    public func queryNative(_ sql: String, limit: Int?) throws -> QueryResult {
        let result = try withConnection { try $0.execute(sql) }
        return Self.queryResult(result, limit: limit)
    }

    static func queryResult(_ result: PostgresResult, limit: Int?) -> QueryResult {
        let columns = result.columns.map { Column(name: $0.name, dataType: PostgresTypes.name(ofOID: $0.type)) }
        let kept = limit.map { Array(result.rows.prefix(max(0, $0))) } ?? result.rows
        let rows = kept.map { row in
            row.enumerated().map { index, text in PostgresTypes.cell(text, oid: result.columns[index].type) }
        }
        return QueryResult(columns: columns, rows: rows)
    }

    // MARK: - Transactions

    /// Runs `body` in one transaction (`begin` … `commit`): committed when it returns, rolled back
    /// when it throws. The `begin` is sent with the first statement of `body` (one round trip for
    /// both), and a body that sends nothing costs no round trip at all. Statements issued through this adapter on the same thread inside `body`
    /// join it; a nested call is a savepoint whose throw rolls back only its own work.
    /// - Throws: what `body` throws (after the rollback), or ``WarehouseError`` when the
    ///   transaction cannot begin or commit, when a statement inside it failed but `body` caught
    ///   the error, or when SQL inside it ended it (`COMMIT`).
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if let connection = pool.pinned() {
            return try Self.inSavepoint(connection, body)
        }
        let checkout = try pool.checkout()
        let connection = checkout.connection
        connection.beginPending = true
        connection.schemasCreatedInTransaction = []
        pool.pin(connection)
        let value: T
        do {
            value = try body()
        } catch {
            pool.unpin()
            connection.beginPending = false
            if connection.isInTransaction { _ = try? connection.execute("rollback") }
            rolledBack(connection)
            pool.discardOrCheckin(connection)
            throw error
        }
        pool.unpin()
        if connection.beginPending {
            // Nothing was sent: there is no transaction to commit.
            connection.beginPending = false
            pool.checkin(connection)
            return value
        }
        do {
            guard connection.isInTransaction else {
                throw WarehouseError(.query, "the transaction was ended by a statement inside it (COMMIT or ROLLBACK)")
            }
            guard !connection.isInFailedTransaction else {
                throw WarehouseError(.query, "a statement inside the transaction failed; the transaction was rolled back")
            }
            try connection.execute("commit")
        } catch {
            if connection.isInTransaction { _ = try? connection.execute("rollback") }
            rolledBack(connection)
            pool.discardOrCheckin(connection)
            throw error
        }
        for schema in connection.schemasCreatedInTransaction { _ = rememberSchema(schema) }
        connection.schemasCreatedInTransaction = []
        pool.checkin(connection)
        return value
    }

    /// What a rolled-back transaction may have undone is no longer known: schemas it created and
    /// the relations ``materialize(_:)`` recorded are looked up again.
    private func rolledBack(_ connection: PostgresConnection) {
        connection.schemasCreatedInTransaction = []
        relationCache.invalidateAll()
    }

    static func inSavepoint<T>(_ connection: PostgresConnection, _ body: () throws -> T) throws -> T {
        connection.savepointCounter += 1
        let name = "opsflow_savepoint_\(connection.savepointCounter)"
        try connection.execute("savepoint \(name)")
        let value: T
        do {
            value = try body()
        } catch {
            _ = try? connection.execute("rollback to savepoint \(name); release savepoint \(name)")
            throw error
        }
        try connection.execute("release savepoint \(name)")
        return value
    }

    /// Runs `work` on the connection of the transaction open on this thread, or else on a pooled
    /// connection in autocommit mode.
    ///
    /// A lost connection is retried once on a fresh connection when the failing connection had
    /// been idle in the pool (the server restarted or dropped it meanwhile) and no transaction
    /// was open: the statement never reached a live server. Otherwise the error is raised.
    func withConnection<T>(_ work: (PostgresConnection) throws -> T) throws -> T {
        if let connection = pool.pinned() { return try work(connection) }
        var checkout = try pool.checkout()
        while true {
            do {
                let value = try work(checkout.connection)
                if checkout.connection.isInTransaction {
                    _ = try? checkout.connection.execute("rollback")
                    pool.discardOrCheckin(checkout.connection)
                    throw WarehouseError(.query, "the SQL left a transaction open (BEGIN without COMMIT); it was rolled back")
                }
                pool.checkin(checkout.connection)
                return value
            } catch let error as WarehouseError where error.kind == .connection && checkout.reused && !checkout.connection.isHealthy {
                pool.discardOrCheckin(checkout.connection)
                checkout = try pool.checkout(fresh: true)
            } catch {
                if checkout.connection.isInTransaction { _ = try? checkout.connection.execute("rollback") }
                pool.discardOrCheckin(checkout.connection)
                throw error
            }
        }
    }

    /// Closes every idle connection; further calls fail. With `OPSFLOW_PG_STATS_FILE` set, appends
    /// the adapter's ``statistics`` there first (see ``StatementStatistics``).
    public func close() {
        statistics.appendToStatsFile()
        pool.close()
    }

    // MARK: - Naming

    /// dbt-postgres's rendering: every part quoted, the database first — the target's `dbname`
    /// when the relation has none (dbt gives every node and source the target database by
    /// default, so `source()` renders `"analytics"."raw"."orders"`). With `dialect: bigquery`,
    /// BigQuery's form `` `schema`.`identifier` `` (the translator makes it `"schema"."identifier"`;
    /// the database is the connection's, so it is left out), so SQL built from it is BigQuery SQL.
    public func render(_ relation: Relation) -> String {
        guard translatesBigQuery else { return nativeRender(relation) }
        return Self.backtickIdentifier(relation.schema) + "." + Self.backtickIdentifier(relation.identifier)
    }

    /// `"name"`, with `"` doubled (PostgreSQL's quoted identifiers keep case and any character);
    /// with `dialect: bigquery`, `` `name` `` (BigQuery's quoting, see ``render(_:)``).
    public func quote(_ identifier: String) -> String {
        translatesBigQuery ? Self.backtickIdentifier(identifier) : Self.quoteIdentifier(identifier)
    }

    /// `"db"."schema"."name"`: the PostgreSQL name of a relation, whatever the dialect (the
    /// adapter's own DDL and DML use it).
    public func nativeRender(_ relation: Relation) -> String {
        let database = relation.database.flatMap { $0.isEmpty ? nil : $0 } ?? profile.dbname
        return [database, relation.schema, relation.identifier].map(Self.quoteIdentifier).joined(separator: ".")
    }

    /// `"name"`: a PostgreSQL quoted identifier, whatever the dialect.
    public func nativeQuote(_ identifier: String) -> String { Self.quoteIdentifier(identifier) }

    /// `` `name` `` with `` ` `` and `\` escaped (BigQuery's quoted identifiers).
    static func backtickIdentifier(_ identifier: String) -> String {
        "`" + identifier.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "`", with: "\\`") + "`"
    }

    static func quoteIdentifier(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Records that `schema` exists, returning false when it already was recorded.
    func rememberSchema(_ schema: String) -> Bool {
        schemaLock.lock()
        defer { schemaLock.unlock() }
        return knownSchemas.insert(schema).inserted
    }

    func isKnownSchema(_ schema: String) -> Bool {
        schemaLock.lock()
        defer { schemaLock.unlock() }
        return knownSchemas.contains(schema)
    }
}
