import Foundation
import SQL
import Warehouse

/// Type mapping between OpsFlow's logical types, PostgreSQL's types and ``Cell`` values.
public enum PostgresTypes {
    /// The PostgreSQL type a column of logical type `type` is created with (seeds, loads).
    ///
    /// Logical names follow dbt-postgres's seed types (`convert_*_type` in dbt-adapters
    /// `sql/impl.py` and dbt-postgres `impl.py`): text → `text`, a number with decimals →
    /// `float8`, a datetime → `timestamp without time zone`, a date → `date`, a boolean →
    /// `boolean`. Whole numbers are `bigint` (dbt says `integer`, which overflows at 2³¹ on loads).
    /// Only the logical (BigQuery-style) names are mapped; any other name (a seed's
    /// `column_types` such as `integer` or `varchar(10)`, a native type) is used as written.
    public static func columnType(for logical: String) -> String {
        switch logical.uppercased() {
        case "INT64": return "bigint"
        case "FLOAT64", "DOUBLE": return "float8"
        case "BIGNUMERIC": return "numeric"
        case "STRING": return "text"
        case "BOOL": return "boolean"
        case "DATETIME", "TIMESTAMP": return "timestamp without time zone"
        case "BYTES", "BLOB": return "bytea"
        case "JSON": return "jsonb"
        default: return logical
        }
    }

    /// The type name of a result column's OID (as `format_type` prints it), "" when unknown.
    static func name(ofOID oid: UInt32) -> String {
        switch oid {
        case 16: return "boolean"
        case 17: return "bytea"
        case 18: return "\"char\""
        case 19: return "name"
        case 20: return "bigint"
        case 21: return "smallint"
        case 23: return "integer"
        case 25: return "text"
        case 26: return "oid"
        case 114: return "json"
        case 700: return "real"
        case 701: return "double precision"
        case 1042: return "character"
        case 1043: return "character varying"
        case 1082: return "date"
        case 1083: return "time without time zone"
        case 1114: return "timestamp without time zone"
        case 1184: return "timestamp with time zone"
        case 1186: return "interval"
        case 1700: return "numeric"
        case 2950: return "uuid"
        case 3802: return "jsonb"
        default: return ""
        }
    }

    /// A cell from a text-format value of type `oid`: integers, floats, booleans and `bytea`
    /// are decoded, `numeric` becomes a double (as dbt's agate tables read it), anything else
    /// stays text (dates and timestamps in PostgreSQL's ISO output).
    static func cell(_ text: String?, oid: UInt32) -> Cell {
        guard let text else { return .null }
        switch oid {
        case 20, 21, 23, 26: return Int64(text).map(Cell.integer) ?? .text(text)
        case 700, 701, 1700:
            switch text {
            case "NaN": return .real(.nan)
            case "Infinity": return .real(.infinity)
            case "-Infinity": return .real(-.infinity)
            default: return Double(text).map(Cell.real) ?? .text(text)
            }
        case 16: return .bool(text == "t")
        case 17: return decodeBytea(text).map(Cell.blob) ?? .text(text)
        default: return .text(text)
        }
    }

    /// `\x0a0b…` (PostgreSQL's hex output of bytea) as bytes.
    static func decodeBytea(_ text: String) -> [UInt8]? {
        guard text.hasPrefix("\\x") else { return nil }
        let digits = Array(text.utf8.dropFirst(2))
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Appends one cell in COPY text format (postgresql.org/docs/15/sql-copy.html, "Text Format"):
    /// `\N` for NULL; backslash, tab, newline and carriage return escaped; bytea as `\\x…`.
    static func appendCopyText(_ cell: Cell, to out: inout [UInt8]) {
        switch cell {
        case .null: out.append(contentsOf: [92, 78]) // \N
        case .integer(let value): out.append(contentsOf: String(value).utf8)
        case .real(let value):
            if value.isNaN { out.append(contentsOf: "NaN".utf8) }
            else if value.isInfinite { out.append(contentsOf: (value < 0 ? "-Infinity" : "Infinity").utf8) }
            else { out.append(contentsOf: "\(value)".utf8) }
        case .bool(let value): out.append(value ? UInt8(ascii: "t") : UInt8(ascii: "f"))
        case .text(let value):
            for byte in value.utf8 {
                switch byte {
                case 92: out.append(contentsOf: [92, 92])
                case 9: out.append(contentsOf: [92, UInt8(ascii: "t")])
                case 10: out.append(contentsOf: [92, UInt8(ascii: "n")])
                case 13: out.append(contentsOf: [92, UInt8(ascii: "r")])
                default: out.append(byte)
                }
            }
        case .blob(let bytes):
            // `\x…` escaped once more for the COPY text format.
            out.append(contentsOf: [92, 92, UInt8(ascii: "x")])
            let hex = Array("0123456789abcdef".utf8)
            for byte in bytes {
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0f)])
            }
        }
    }
}

// MARK: - BigQuery types (`dialect: bigquery`)

extension PostgresTypes {
    /// The PostgreSQL type a column of BigQuery type `logical` is created with when the target's
    /// dialect is BigQuery: the storage the SQL translator uses (`INT64` → `bigint`, `FLOAT64` →
    /// `double precision`, `NUMERIC` → `numeric`, `DATETIME` → `timestamp`, `TIMESTAMP` →
    /// `timestamptz`, `STRUCT` → `jsonb` …), so the catalog reads the same types back
    /// (``SQLType/init(postgres:udtName:)``). A name BigQuery does not know is used as written.
    public static func columnType(forBigQuery logical: String) -> String {
        let name = logical.trimmingCharacters(in: .whitespaces)
        // `ARRAY<T>`: the element's storage as a PostgreSQL array (the logical-name parser keeps
        // only that it is an array).
        if name.uppercased().hasPrefix("ARRAY<"), name.hasSuffix(">") {
            let element = columnType(forBigQuery: String(name.dropFirst(6).dropLast()))
            return element.hasSuffix("[]") || element == String(name.dropFirst(6).dropLast()) ? logical : element + "[]"
        }
        guard let type = SQLType(logical: name) else { return logical }
        return type.postgresStorage ?? logical
    }

    /// The BigQuery type of a PostgreSQL type as `format_type` prints it (`bigint`,
    /// `character varying(10)`, `numeric(12,2)`, `timestamp with time zone`, `text[]`), or nil.
    public static func bigQueryType(ofPostgres formatted: String) -> SQLType? {
        var name = formatted.trimmingCharacters(in: .whitespaces).lowercased()
        if name.hasSuffix("[]") {
            let element = bigQueryType(ofPostgres: String(name.dropLast(2)))
            if element == nil { return nil }
            if case .array = element { return nil }
            return .array(element)
        }
        // Modifiers: `character varying(10)`, `numeric(12,2)`, `timestamp(3) with time zone`.
        while let open = name.firstIndex(of: "("), let close = name[open...].firstIndex(of: ")") {
            name.removeSubrange(open...close)
        }
        name = name.split(separator: " ").joined(separator: " ")
        return SQLType(postgres: name)
    }

    /// BigQuery's name of a type as a column reports it: `INT64`, `ARRAY`, `STRUCT` (as the
    /// embedded warehouse reports translated columns).
    static func bigQueryName(_ type: SQLType) -> String {
        switch type {
        case .array: return "ARRAY"
        case .structure: return "STRUCT"
        default: return type.description
        }
    }
}
