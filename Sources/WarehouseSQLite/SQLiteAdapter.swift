import Foundation
import GRDB
import Warehouse

/// The embedded warehouse: one SQLite database file, opened in WAL mode through a GRDB
/// `DatabasePool`, so that readers (the dashboard, `show`, other runner threads) read the last
/// committed state while a build writes.
///
/// A schema (a BigQuery dataset) is not an attached database — SQLite views cannot read across
/// attached databases — so the relation `schema.identifier` is the one table or view named
/// `"schema.identifier"` in `main` (see ``render(_:)``). Empty schemas are recorded in the
/// `_opsflow_schemas` table.
///
/// ```swift
/// let warehouse = try SQLiteAdapter(path: "target/opsflow.db", schema: "dev")
/// try warehouse.execute(#"create table "dev.orders" as select 1 as id"#)
/// let rows = try warehouse.query(#"select * from "dev.orders""#, limit: 10)
/// ```
///
/// Threads: every method may be called from any thread. Writes are serialized by the pool's single
/// writer connection (and by SQLite's lock across processes, waited for up to ``busyTimeout``).
/// ``transaction(_:)`` runs its body synchronously on the calling thread while it holds the writer;
/// statements issued on that thread inside the body join the transaction (a nested
/// `transaction` becomes a savepoint). Statements issued from *other* threads meanwhile wait for
/// the writer (writes) or read the last committed state (reads).
///
/// `@unchecked Sendable`: the pool is thread-safe; ``transactions`` is guarded by its own lock.
public final class SQLiteAdapter: Adapter, @unchecked Sendable {
    /// How long a write waits for another process's lock before failing: 30 seconds.
    public static let busyTimeout: TimeInterval = 30

    public let type = "sqlite"
    /// The dialect of the models run here: `"sqlite"` by default, `"bigquery"` once models are
    /// written in BigQuery SQL and translated.
    public let dialect: String
    /// The database file.
    public let path: String
    /// The target's default schema, if the profile gave one.
    public let defaultSchema: String?

    let pool: DatabasePool
    let transactions = OpenTransactions()
    private let closedLock = NSLock()
    private var isClosed = false

    /// Opens (creating it and its folder if needed) the database file at `path` in WAL mode.
    ///
    /// - Parameters:
    ///   - path: a file path (not `:memory:`: WAL needs a file).
    ///   - schema: the target's default schema; recorded as existing when given.
    ///   - dialect: `"sqlite"` (default) or the dialect models are written in.
    /// - Throws: ``WarehouseError`` of kind `connection` when the file cannot be opened or is not
    ///   a SQLite database.
    public init(path: String, schema: String?, dialect: String = "sqlite") throws {
        self.path = path
        self.defaultSchema = schema
        self.dialect = dialect
        guard !path.isEmpty, path != ":memory:", !path.hasPrefix("file::memory:") else {
            throw WarehouseError(.connection, "the SQLite warehouse needs a database file path, not '\(path)'")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw WarehouseError(.connection, "cannot create the folder of the database file '\(path)': \(error.localizedDescription)")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.label = "opsflow.sqlite"
        configuration.prepareDatabase { db in
            // Views name tables by name, like dbt's late-binding views: renaming or replacing a
            // table must neither rewrite nor re-check the views that use it. Since SQLite 3.26,
            // ALTER TABLE … RENAME re-parses every view and fails when one names a table that is
            // missing at that moment (“error in view v: no such table”); the legacy mode does not.
            // https://www.sqlite.org/pragma.html#pragma_legacy_alter_table
            try db.execute(sql: "PRAGMA legacy_alter_table = ON")
            try SQLiteFunctions.register(in: db)
            BigQueryFunctions.register(in: db)
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // Write only when something is missing: a reader (the dashboard) opening the file
            // while a build holds the write lock must not wait for it.
            let recorded = try pool.read { db -> Bool in
                guard try db.tableExists("_opsflow_schemas") else { return false }
                guard let schema, !schema.isEmpty else { return true }
                return try Bool.fetchOne(db, sql: "SELECT 1 FROM \(Self.schemasTable) WHERE name = ?", arguments: [schema]) ?? false
            }
            if !recorded {
                try pool.write { db in
                    try db.execute(sql: "CREATE TABLE IF NOT EXISTS \(Self.schemasTable) (name TEXT PRIMARY KEY NOT NULL)")
                    if let schema, !schema.isEmpty {
                        try db.execute(sql: "INSERT OR IGNORE INTO \(Self.schemasTable) (name) VALUES (?)", arguments: [schema])
                    }
                }
            }
        } catch let error as DatabaseError {
            throw Self.warehouseError(error, kind: .connection)
        } catch {
            throw WarehouseError(.connection, "cannot open the SQLite database '\(path)': \(error)")
        }
    }

    /// The metadata table listing schemas created with ``createSchema(_:)`` (quoted).
    static let schemasTable = "\"_opsflow_schemas\""

    // MARK: - Statements

    /// Runs one or more `;`-separated SQLite statements in order and returns the response of the
    /// last (never translated; ``execute(_:)`` translates BigQuery SQL first).
    ///
    /// Outside ``transaction(_:)`` each statement commits on its own, as in the `sqlite3` shell
    /// (so `VACUUM` and explicit `BEGIN … COMMIT` work); inside, they join the transaction.
    /// - Throws: ``WarehouseError`` (`query`) with SQLite's message and the failing statement.
    @discardableResult
    public func executeNative(_ sql: String) throws -> AdapterResponse {
        try withWriter { db in
            var last = AdapterResponse(message: "OK", code: nil, rowsAffected: 0)
            let statements = try db.allStatements(sql: sql)
            while let statement = try statements.next() {
                last = try Self.run(statement, in: db)
            }
            return last
        }
    }

    /// Runs a SQLite query (never translated; ``query(_:limit:)`` translates BigQuery SQL first)
    /// and returns its columns (with their logical types, see ``SQLiteTypes``) and at
    /// most `limit` rows.
    ///
    /// Several `;`-separated statements are allowed: all run in order and the rows of the last
    /// one are returned. Read-only SQL outside a transaction runs on a reader connection, so it
    /// never waits for a build; SQL that writes runs on the writer.
    /// - Throws: ``WarehouseError`` (`query`) with SQLite's message.
    public func queryNative(_ sql: String, limit: Int?) throws -> QueryResult {
        let limit = limit.map { max(0, $0) }
        if transactions.current(for: self) == nil {
            try checkOpen()
            let answer: QueryResult?
            do {
                answer = try pool.read { db in try Self.runQuery(sql, limit: limit, in: db, readOnly: true) }
            } catch let error as DatabaseError where error.message?.hasPrefix("no such table") == true {
                // A TEMP table lives on the connection that made it — the writer: look there.
                answer = nil
            } catch let error as DatabaseError {
                throw Self.warehouseError(error)
            }
            if let answer { return answer }
        }
        // The SQL writes (or a transaction is open on this thread): run it on the writer.
        return try withWriter { db in
            guard let result = try Self.runQuery(sql, limit: limit, in: db, readOnly: false) else {
                throw WarehouseError(.query, "the query could not be run", sql: sql)
            }
            return result
        }
    }

    // MARK: - Transactions

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    ///
    /// Statements issued through this adapter on the same thread inside `body` join the
    /// transaction. A nested call becomes a savepoint: its throw rolls back only its own work
    /// (and the error still propagates to the outer body, which decides).
    /// - Throws: what `body` throws (after the rollback), or ``WarehouseError`` when the
    ///   transaction cannot begin or commit, or when SQL run inside it ended it (`COMMIT`).
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if let db = transactions.current(for: self) {
            return try Self.inSavepoint(db, name: transactions.nextSavepointName(), body)
        }
        try checkOpen()
        do {
            return try pool.writeWithoutTransaction { db in
                try db.beginTransaction(.immediate)
                transactions.push(db, for: self)
                defer { transactions.pop(for: self) }
                let value: T
                do {
                    value = try body()
                } catch {
                    if db.isInsideTransaction { try? db.rollback() }
                    throw error
                }
                guard db.isInsideTransaction else {
                    throw WarehouseError(.query, "the transaction was ended by a statement inside it (COMMIT or ROLLBACK)")
                }
                do {
                    try db.commit()
                } catch {
                    if db.isInsideTransaction { try? db.rollback() }
                    throw error
                }
                return value
            }
        } catch let error as DatabaseError {
            throw Self.warehouseError(error)
        }
    }

    /// Releases the connections. Further calls throw ``WarehouseError`` (`connection`).
    public func close() {
        closedLock.lock()
        let wasClosed = isClosed
        isClosed = true
        closedLock.unlock()
        if !wasClosed { try? pool.close() }
    }

    // MARK: - Connection routing

    /// Runs `work` on the connection of the transaction open on this thread, or else on the
    /// writer in autocommit mode. Never re-enters GRDB (which traps on re-entrant access).
    func withWriter<T>(_ work: (Database) throws -> T) throws -> T {
        if let db = transactions.current(for: self) {
            do {
                let value = try work(db)
                guard db.isInsideTransaction else {
                    throw WarehouseError(.query, "a statement ended the surrounding transaction (COMMIT or ROLLBACK inside a transaction)")
                }
                return value
            } catch let error as DatabaseError {
                throw Self.warehouseError(error)
            }
        }
        try checkOpen()
        do {
            return try pool.writeWithoutTransaction { db in
                // GRDB traps when an access ends with a transaction left open (an explicit BEGIN
                // without COMMIT in user SQL): roll it back and report it instead.
                do {
                    let value = try work(db)
                    if db.isInsideTransaction {
                        try? db.rollback()
                        throw WarehouseError(.query, "the SQL left a transaction open (BEGIN without COMMIT); it was rolled back")
                    }
                    return value
                } catch {
                    if db.isInsideTransaction { try? db.rollback() }
                    throw error
                }
            }
        } catch let error as DatabaseError {
            throw Self.warehouseError(error)
        }
    }

    func checkOpen() throws {
        closedLock.lock()
        defer { closedLock.unlock() }
        if isClosed { throw WarehouseError(.connection, "the SQLite warehouse '\(path)' is closed") }
    }

    static func inSavepoint<T>(_ db: Database, name: String, _ body: () throws -> T) throws -> T {
        do {
            try db.execute(sql: "SAVEPOINT \(name)")
        } catch let error as DatabaseError {
            throw warehouseError(error)
        }
        let value: T
        do {
            value = try body()
        } catch {
            try? db.execute(sql: "ROLLBACK TO \(name)")
            try? db.execute(sql: "RELEASE \(name)")
            throw error
        }
        do {
            try db.execute(sql: "RELEASE \(name)")
        } catch let error as DatabaseError {
            throw warehouseError(error)
        }
        return value
    }
}

/// The transactions open on each thread, per adapter: how statements issued inside
/// ``SQLiteAdapter/transaction(_:)`` find the connection of their transaction without re-entering
/// GRDB. `@unchecked Sendable`: every access holds `lock`; a `Database` is only handed back to the
/// thread that registered it (the one running the transaction's body).
final class OpenTransactions: @unchecked Sendable {
    private struct Key: Hashable {
        var adapter: ObjectIdentifier
        var thread: ObjectIdentifier
    }
    private let lock = NSLock()
    private var open: [Key: Database] = [:]
    private var savepoints = 0

    private func key(_ adapter: AnyObject) -> Key {
        Key(adapter: ObjectIdentifier(adapter), thread: ObjectIdentifier(Thread.current))
    }

    func current(for adapter: AnyObject) -> Database? {
        let key = key(adapter)
        lock.lock()
        defer { lock.unlock() }
        return open[key]
    }

    func push(_ db: Database, for adapter: AnyObject) {
        let key = key(adapter)
        lock.lock()
        open[key] = db
        lock.unlock()
    }

    func pop(for adapter: AnyObject) {
        let key = key(adapter)
        lock.lock()
        open[key] = nil
        lock.unlock()
    }

    func nextSavepointName() -> String {
        lock.lock()
        defer { lock.unlock() }
        savepoints += 1
        return "opsflow_savepoint_\(savepoints)"
    }
}
