/// A connection to one target of one warehouse.
///
/// Synchronous by design: the runner calls it from its own pool of `--threads` worker threads, and
/// the Jinja context (`run_query`, `adapter.get_columns_in_relation`) calls it while rendering.
/// Implementations are `final class`es guarded by their driver's own queue or pool.
///
/// Modelled on dbt's `BaseAdapter`/`SQLAdapter` (`dbt/adapters/base/impl.py`, `dbt/adapters/sql/impl.py`).
public protocol Adapter: AnyObject, Sendable {
    /// The profile type, e.g. `"sqlite"`, `"postgres"`, `"bigquery"`; also the `adapter.dispatch` prefix.
    var type: String { get }

    /// The SQL dialect models are written in (`"sqlite"`, `"postgres"`, `"bigquery"`).
    var dialect: String { get }

    /// Runs one or more statements (`;`-separated) and returns the response of the last one.
    /// - Throws: ``WarehouseError`` with the warehouse's message; bound values never appear in it.
    @discardableResult
    func execute(_ sql: String) throws -> AdapterResponse

    /// Runs a query and returns its rows, at most `limit` of them when given.
    func query(_ sql: String, limit: Int?) throws -> QueryResult

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    /// Statements run through `execute`/`query` on the same thread inside `body` join the transaction.
    func transaction<T>(_ body: () throws -> T) throws -> T

    /// The relation if it exists (with its kind), or nil.
    func getRelation(database: String?, schema: String, identifier: String) throws -> Relation?

    /// Every relation in a schema.
    func listRelations(schema: String) throws -> [Relation]

    /// The columns of a relation, in order. Empty when it does not exist.
    func columns(of relation: Relation) throws -> [Column]

    /// Creates the schema if it does not exist.
    func createSchema(_ schema: String) throws

    /// Drops a relation if it exists (a table or a view, whichever it is).
    func dropRelation(_ relation: Relation) throws

    /// Renames a relation within its schema.
    func renameRelation(_ from: Relation, to: Relation) throws

    /// The relation as it is written in SQL on this warehouse (quoted as the warehouse needs).
    func render(_ relation: Relation) -> String

    /// An identifier quoted for this warehouse.
    func quote(_ identifier: String) -> String

    /// Inserts rows into an existing table in one statement batch, binding the values.
    /// - Returns: the number of rows inserted.
    func insert(into relation: Relation, columns: [String], rows: [[Cell]]) throws -> Int

    /// Creates a table with the given columns (logical types) — for seeds and loads.
    func createTable(_ relation: Relation, columns: [Column]) throws

    /// Builds `target` as a table from a query without ever exposing a half-built table: the
    /// table is built under a temporary name and swapped in within one transaction.
    /// - Returns: the warehouse's answer and the statements executed (for `target/run`).
    func replaceTable(_ target: Relation, withSelect sql: String) throws -> Materialized

    /// Replaces (or creates) `target` as a view, atomically.
    func replaceView(_ target: Relation, withSelect sql: String) throws -> Materialized

    /// Builds a model the adapter's own way, or returns nil to let the shared Swift
    /// materializations build it (the default, in `ModelBuild.swift`).
    /// - Throws: ``WarehouseError``; the previous relation is intact whenever this throws.
    func materialize(_ build: ModelBuild) throws -> Materialized?

    /// Runs `body` with `context` attached to the statements it sends (BigQuery job labels).
    func withContext<T>(_ context: StatementContext, _ body: () throws -> T) throws -> T

    /// What `sql` would process, without running it (BigQuery dry run).
    /// - Throws: ``WarehouseError`` `.unsupported` on warehouses without a dry run.
    func estimate(_ sql: String) throws -> QueryEstimate

    /// Releases connections. Further calls fail.
    func close()
}

/// What building a relation did.
public struct Materialized: Sendable {
    public var response: AdapterResponse
    /// The statements executed, in order (dbt writes them to `target/run`).
    public var executedSQL: [String]

    public init(response: AdapterResponse, executedSQL: [String]) {
        self.response = response
        self.executedSQL = executedSQL
    }
}

/// An error from the warehouse: its own message, never bound values or credentials.
public struct WarehouseError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case connection, query, notFound, unsupported, timeout
    }
    public var kind: Kind
    public var message: String
    /// The SQL that failed, when there is one (for `target/run` and the log; never with bound values).
    public var sql: String?

    public init(_ kind: Kind, _ message: String, sql: String? = nil) {
        self.kind = kind
        self.message = message
        self.sql = sql
    }

    public var description: String { message }
}
