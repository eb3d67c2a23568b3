/// One value read from, or bound into, a warehouse.
public enum Cell: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
    case bool(Bool)
}

/// The rows a query returned.
public struct QueryResult: Sendable {
    /// The result's columns, in order. `dataType` is the declared or inferred logical type, or "" when unknown.
    public var columns: [Column]
    /// The rows; each has `columns.count` cells.
    public var rows: [[Cell]]

    public init(columns: [Column], rows: [[Cell]]) {
        self.columns = columns
        self.rows = rows
    }
}

/// What the warehouse answered to a statement, as dbt's `AdapterResponse`
/// (`dbt/adapters/contracts/connection.py`): written into `run_results.json`.
public struct AdapterResponse: Sendable, Hashable {
    /// A short status, e.g. `"OK"`, `"CREATE TABLE"`, `"INSERT 0 12"`.
    public var message: String
    /// The statement kind, e.g. `"CREATE"`, `"INSERT"`, `"SELECT"`.
    public var code: String?
    /// Rows written or read, when the warehouse says.
    public var rowsAffected: Int?
    /// The warehouse's job or query id, when it has one.
    public var queryId: String?
    /// The adapter's own fields, written into `run_results.json` as they are named here
    /// (dbt-bigquery's `bytes_processed`, `bytes_billed`, `slot_ms`, `job_id`, `location`, `project_id`).
    public var details: [String: Cell]

    public init(message: String, code: String? = nil, rowsAffected: Int? = nil, queryId: String? = nil,
                details: [String: Cell] = [:]) {
        self.message = message
        self.code = code
        self.rowsAffected = rowsAffected
        self.queryId = queryId
        self.details = details
    }
}
