/// A BigQuery data type as the translator tracks it (<https://cloud.google.com/bigquery/docs/reference/standard-sql/data-types>).
///
/// How values of each type are stored in SQLite by the translated SQL:
/// INT64 → integer, FLOAT64 → real, NUMERIC/BIGNUMERIC → real (approximate), BOOL → integer 0/1,
/// STRING → text, BYTES → blob, DATE → text `YYYY-MM-DD`, DATETIME → text
/// `YYYY-MM-DD HH:MM:SS[.ffffff]`, TIMESTAMP → the same text in UTC, TIME → text
/// `HH:MM:SS[.ffffff]`, ARRAY and STRUCT → JSON text, JSON → JSON text.
public indirect enum SQLType: Sendable, Hashable, CustomStringConvertible {
    case int64, float64, numeric, bignumeric, bool, string, bytes
    case date, datetime, time, timestamp, interval, json
    case array(SQLType?)
    case structure([String], [SQLType?])

    /// The type named `name` (canonical upper-case, as ``TypeName`` holds it).
    public init?(_ type: TypeName) {
        switch type.name {
        case "INT64": self = .int64
        case "FLOAT64": self = .float64
        case "NUMERIC": self = .numeric
        case "BIGNUMERIC": self = .bignumeric
        case "BOOL": self = .bool
        case "STRING": self = .string
        case "BYTES": self = .bytes
        case "DATE": self = .date
        case "DATETIME": self = .datetime
        case "TIME": self = .time
        case "TIMESTAMP": self = .timestamp
        case "INTERVAL": self = .interval
        case "JSON": self = .json
        case "ARRAY": self = .array(type.parameters.first.flatMap(SQLType.init))
        case "STRUCT": self = .structure(type.fieldNames, type.parameters.map(SQLType.init))
        default: return nil
        }
    }

    /// The type for a logical column type name (`INT64`, `DATE`, `STRING`, …); nil when unknown.
    public init?(logical name: String) {
        let upper = name.uppercased()
        guard let canonical = Parser.canonicalType(upper) else {
            if upper.hasPrefix("ARRAY") { self = .array(nil); return }
            if upper.hasPrefix("STRUCT") { self = .structure([], []); return }
            return nil
        }
        guard let type = SQLType(TypeName(canonical)) else { return nil }
        self = type
    }

    /// BigQuery's name: `INT64`, `ARRAY<STRING>`, `STRUCT<a INT64>`.
    public var description: String {
        switch self {
        case .int64: return "INT64"
        case .float64: return "FLOAT64"
        case .numeric: return "NUMERIC"
        case .bignumeric: return "BIGNUMERIC"
        case .bool: return "BOOL"
        case .string: return "STRING"
        case .bytes: return "BYTES"
        case .date: return "DATE"
        case .datetime: return "DATETIME"
        case .time: return "TIME"
        case .timestamp: return "TIMESTAMP"
        case .interval: return "INTERVAL"
        case .json: return "JSON"
        case .array(let element): return "ARRAY<\(element?.description ?? "?")>"
        case .structure(let names, let types):
            return "STRUCT<" + zip(names, types).map { "\($0) \($1?.description ?? "?")" }.joined(separator: ", ") + ">"
        }
    }

    /// The SQLite declared type for a column of this type, chosen for its affinity and so that it
    /// maps back to one logical name (the table in `WarehouseSQLite.SQLiteTypes`).
    public var declaredType: String {
        switch self {
        case .int64: return "INT64"
        case .float64: return "FLOAT64"
        case .numeric, .bignumeric: return "NUMERIC"
        case .bool: return "BOOL"
        case .string: return "TEXT"
        case .bytes: return "BLOB"
        case .date: return "DATE TEXT"
        case .datetime: return "DATETIME TEXT"
        case .time: return "TIME TEXT"
        case .timestamp: return "TIMESTAMP TEXT"
        case .interval: return "INTERVAL TEXT"
        case .json: return "JSON TEXT"
        case .array: return "ARRAY TEXT"
        case .structure: return "STRUCT TEXT"
        }
    }

    var isNumber: Bool {
        switch self {
        case .int64, .float64, .numeric, .bignumeric: return true
        default: return false
        }
    }

    var isTemporal: Bool {
        switch self {
        case .date, .datetime, .timestamp, .time: return true
        default: return false
        }
    }
}

/// A column of a relation or of a query's output: its name and BigQuery type (nil: unknown).
public struct SQLColumn: Sendable, Hashable {
    public var name: String
    public var type: SQLType?

    public init(name: String, type: SQLType?) {
        self.name = name
        self.type = type
    }
}

/// What the translator may learn about relations: their columns (for `SELECT *`, `EXCEPT`,
/// `REPLACE` and typing) and whether they are views (to materialize CTEs over them).
/// `relation` is the physical name (`dataset.table`).
public struct SQLCatalog: Sendable {
    public var columns: @Sendable (_ relation: String) -> [SQLColumn]?
    public var isView: @Sendable (_ relation: String) -> Bool

    public init(columns: @escaping @Sendable (String) -> [SQLColumn]?, isView: @escaping @Sendable (String) -> Bool = { _ in false }) {
        self.columns = columns
        self.isView = isView
    }

    /// A catalog that knows nothing: `SELECT *` stays `*`, columns are untyped.
    public static let empty = SQLCatalog(columns: { _ in nil })
}
