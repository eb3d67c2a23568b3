// The BigQuery types of PostgreSQL columns, for a catalog read from PostgreSQL
// (https://www.postgresql.org/docs/15/datatype.html, information_schema.columns).

extension SQLType {
    /// The PostgreSQL type that stores values of this BigQuery type: `INT64` → `bigint`,
    /// `FLOAT64` → `double precision`, `NUMERIC`/`BIGNUMERIC` → `numeric`, `DATETIME` →
    /// `timestamp`, `TIMESTAMP` → `timestamptz`, `JSON` and `STRUCT` → `jsonb` (a STRUCT is a JSON
    /// object; field order is not kept), `ARRAY<T>` → `T[]`. Nil for an array whose element type
    /// is unknown or is itself an array (BigQuery has no arrays of arrays).
    public var postgresStorage: String? {
        switch self {
        case .int64: return "bigint"
        case .float64: return "double precision"
        case .numeric, .bignumeric: return "numeric"
        case .bool: return "boolean"
        case .string: return "text"
        case .bytes: return "bytea"
        case .date: return "date"
        case .datetime: return "timestamp"
        case .time: return "time"
        case .timestamp: return "timestamptz"
        case .interval: return "interval"
        case .json, .structure: return "jsonb"
        case .array(let element):
            guard let element else { return nil }
            if case .array = element { return nil }
            return element.postgresStorage.map { $0 + "[]" }
        }
    }

    /// The BigQuery type of a PostgreSQL column, from `information_schema.columns.data_type`
    /// (`bigint`, `timestamp with time zone`, `ARRAY` …) and, for arrays, its `udt_name`
    /// (`_int8`, `_text` …); nil for a type BigQuery has no counterpart for.
    ///
    /// ```swift
    /// SQLType(postgres: "timestamp with time zone")   // .timestamp
    /// SQLType(postgres: "ARRAY", udtName: "_int8")    // .array(.int64)
    /// ```
    ///
    /// The inverse of the translator's storage (INT64 `bigint`, FLOAT64 `double precision`,
    /// DATETIME `timestamp`, TIMESTAMP `timestamptz` …); smaller integers and floats widen to
    /// INT64 and FLOAT64, `jsonb`/`json` are JSON (a STRUCT the translator stored as `jsonb` reads
    /// back as JSON: its fields are not known).
    public init?(postgres dataType: String, udtName: String? = nil) {
        switch dataType.lowercased() {
        case "bigint", "integer", "smallint", "int8", "int4", "int2", "int", "bigserial", "serial": self = .int64
        case "double precision", "real", "float8", "float4": self = .float64
        case "numeric", "decimal": self = .numeric
        case "text", "character varying", "varchar", "character", "char", "bpchar", "name", "citext": self = .string
        case "boolean", "bool": self = .bool
        case "bytea": self = .bytes
        case "date": self = .date
        case "timestamp without time zone", "timestamp": self = .datetime
        case "timestamp with time zone", "timestamptz": self = .timestamp
        case "time without time zone", "time": self = .time
        case "interval": self = .interval
        case "jsonb", "json": self = .json
        case "array":
            guard let udtName, udtName.hasPrefix("_") else { return nil }
            let element = SQLType(postgres: String(udtName.dropFirst()))
            if case .array = element { return nil }
            self = .array(element)
        default:
            return nil
        }
    }
}
