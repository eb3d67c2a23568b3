import Foundation

/// The mapping between OpsFlow's logical column types (BigQuery's names) and SQLite declared types.
///
/// SQLite stores values by *storage class* and converts them on insert according to the column's
/// *affinity*, which it derives from the declared type name by substring rules
/// (<https://www.sqlite.org/datatype3.html#determination_of_column_affinity>):
/// `INT` → INTEGER, `CHAR`/`CLOB`/`TEXT` → TEXT, `BLOB` or none → BLOB, `REAL`/`FLOA`/`DOUB` → REAL,
/// anything else → NUMERIC. The trap: `STRING` has none of those substrings, so a column declared
/// `STRING` gets NUMERIC affinity and `'00123'` would be stored as the integer `123`. So the declared
/// type is chosen for its affinity *and* so that it maps back to one logical name:
///
/// | logical (input, any case)                 | declared in SQLite | affinity | logical (read back) |
/// | ----------------------------------------- | ------------------ | -------- | ------------------- |
/// | INT64, INTEGER, INT, BIGINT, SMALLINT     | `INT64`            | INTEGER  | INT64               |
/// | FLOAT64, FLOAT, DOUBLE, REAL              | `FLOAT64`          | REAL     | FLOAT64             |
/// | NUMERIC, DECIMAL, BIGNUMERIC              | `NUMERIC`          | NUMERIC  | NUMERIC             |
/// | BOOL, BOOLEAN                             | `BOOL`             | NUMERIC  | BOOL                |
/// | STRING, TEXT, VARCHAR, CHAR               | `TEXT`             | TEXT     | STRING              |
/// | DATE                                      | `DATE TEXT`        | TEXT     | DATE                |
/// | TIMESTAMP                                 | `TIMESTAMP TEXT`   | TEXT     | TIMESTAMP           |
/// | DATETIME                                  | `DATETIME TEXT`    | TEXT     | DATETIME            |
/// | BYTES, BLOB                               | `BLOB`             | BLOB     | BYTES               |
///
/// Dates and timestamps are ISO-8601 text (`2024-01-31`, `2024-01-31 08:15:00`), which sort and
/// compare correctly as text and are what SQLite's date functions read.
/// Any other type name is declared as given and read back as given.
public enum SQLiteTypes {
    /// The SQLite declared type for a logical type (see the table above).
    public static func declaredType(forLogical logical: String) -> String {
        switch normalized(logical) {
        case "INT64", "INTEGER", "INT", "BIGINT", "SMALLINT", "TINYINT": return "INT64"
        case "FLOAT64", "FLOAT", "DOUBLE", "DOUBLE PRECISION", "REAL": return "FLOAT64"
        case "NUMERIC", "DECIMAL", "BIGNUMERIC", "BIGDECIMAL": return "NUMERIC"
        case "BOOL", "BOOLEAN": return "BOOL"
        case "STRING", "TEXT", "VARCHAR", "CHAR", "CLOB": return "TEXT"
        case "DATE": return "DATE TEXT"
        case "TIMESTAMP": return "TIMESTAMP TEXT"
        case "DATETIME": return "DATETIME TEXT"
        case "BYTES", "BLOB": return "BLOB"
        default: return logical.trimmingCharacters(in: .whitespaces)
        }
    }

    /// The logical type for a SQLite declared type: the inverse of ``declaredType(forLogical:)``,
    /// extended to the names SQLite itself writes (`INT`, `REAL`, `NUM` in `CREATE TABLE … AS`).
    /// An empty declared type (an expression column) gives `""`: unknown.
    public static func logicalType(forDeclared declared: String) -> String {
        let name = normalized(declared)
        switch name {
        case "": return ""
        case "INT64", "INTEGER", "INT", "BIGINT", "SMALLINT", "TINYINT": return "INT64"
        case "FLOAT64", "FLOAT", "DOUBLE", "DOUBLE PRECISION", "REAL": return "FLOAT64"
        case "NUMERIC", "NUM", "DECIMAL", "BIGNUMERIC": return "NUMERIC"
        case "BOOL", "BOOLEAN": return "BOOL"
        case "TEXT", "STRING", "VARCHAR", "CHAR", "CLOB": return "STRING"
        case "DATE TEXT", "DATE": return "DATE"
        case "TIMESTAMP TEXT", "TIMESTAMP": return "TIMESTAMP"
        case "DATETIME TEXT", "DATETIME": return "DATETIME"
        case "BLOB", "BYTES": return "BYTES"
        default:
            // `VARCHAR(20)`, `DECIMAL(10,2)`: judge by the name before the parenthesis.
            if let paren = name.firstIndex(of: "("), paren != name.startIndex {
                let base = logicalType(forDeclared: String(name[..<paren]))
                return base.isEmpty ? declared : base
            }
            return declared
        }
    }

    /// Whether a declared type holds booleans (stored as 0/1, read back as ``Cell/bool(_:)``).
    static func isBoolean(declared: String) -> Bool {
        let name = normalized(declared)
        return name == "BOOL" || name == "BOOLEAN"
    }

    private static func normalized(_ type: String) -> String {
        type.trimmingCharacters(in: .whitespaces)
            .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
            .joined(separator: " ")
            .uppercased()
    }
}
