import Warehouse

/// A seed CSV file read and typed, ready for ``Adapter/createTable(_:columns:)`` and
/// ``Adapter/insert(into:columns:rows:)``.
public struct SeedTable: Sendable, Hashable {
    /// The header's columns, in file order, with their logical types (`INT64`, `FLOAT64`, `BOOL`,
    /// `DATE`, `TIMESTAMP`, `STRING`, or a `column_types` override as written).
    public var columns: [Column]
    /// The data rows, each with `columns.count` cells, typed as the columns are:
    /// `INT64` → ``Cell/integer(_:)``, `FLOAT64` → ``Cell/real(_:)``, `BOOL` → ``Cell/bool(_:)``,
    /// `DATE` → ``Cell/text(_:)`` `YYYY-MM-DD`, `TIMESTAMP` → ``Cell/text(_:)``
    /// `YYYY-MM-DD HH:MM:SS[.ffffff]` in UTC, `STRING` and overridden columns → the field's text
    /// as written; an empty or `null` field → ``Cell/null``.
    public var rows: [[Cell]]

    public init(columns: [Column], rows: [[Cell]]) {
        self.columns = columns
        self.rows = rows
    }
}

/// Why a seed file could not be read. The message names the file and, where there is one, the
/// line (1-based, counting the header as line 1 and every line break inside quoted fields).
public struct SeedError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The file cannot be opened or read.
        case unreadable
        /// The file has no header line.
        case empty
        /// A header name is empty or repeated (names compare without regard to ASCII case, as
        /// SQLite and BigQuery compare column names).
        case badHeader
        /// A row has more or fewer fields than the header.
        case raggedRow
        /// The file is not valid UTF-8.
        case encoding
        /// A value does not fit its column's type (an integer beyond INT64).
        case badValue
        /// The delimiter is not one character of one Unicode scalar.
        case badDelimiter
    }

    public var kind: Kind
    /// The seed file's path as given.
    public var path: String
    /// The 1-based line, when the error is on one.
    public var line: Int?
    /// What is wrong, without the file and line (see ``description`` for the full message).
    public var message: String

    public init(_ kind: Kind, path: String, line: Int? = nil, _ message: String) {
        self.kind = kind
        self.path = path
        self.line = line
        self.message = message
    }

    /// `path:line: message`, as compilers print it.
    public var description: String {
        if let line { return "\(path):\(line): \(message)" }
        return "\(path): \(message)"
    }
}
