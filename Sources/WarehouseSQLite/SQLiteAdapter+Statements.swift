import Foundation
import GRDB
import GRDBSQLite
import Warehouse

// MARK: - Running statements and reading rows

extension SQLiteAdapter {
    /// Executes one compiled statement (stepping through any rows) and describes what it did.
    static func run(_ statement: Statement, in db: Database) throws -> AdapterResponse {
        let before = db.totalChangesCount
        if statement.columnCount > 0 {
            var rows = 0
            let cursor = try Row.fetchCursor(statement)
            while try cursor.next() != nil { rows += 1 }
            let code = statementCode(statement.sql)
            return AdapterResponse(message: "\(code) \(rows)", code: code, rowsAffected: rows)
        }
        try statement.execute()
        let changed = db.totalChangesCount - before
        let code = statementCode(statement.sql)
        return AdapterResponse(message: code == "" ? "OK" : "\(code) \(changed)", code: code.isEmpty ? nil : code, rowsAffected: changed)
    }

    /// The statement's kind in the style of dbt's `AdapterResponse.code`: its leading keywords,
    /// upper-cased (`CREATE TABLE`, `INSERT`, `SELECT`).
    static func statementCode(_ sql: String) -> String {
        let words = withoutLeadingComments(sql).split(whereSeparator: { $0.isWhitespace || $0 == "(" }).prefix(3).map { $0.uppercased() }
        guard let first = words.first else { return "" }
        switch first {
        case "CREATE", "DROP", "ALTER":
            // CREATE [TEMP] [UNIQUE] TABLE/VIEW/INDEX …
            let kinds: Set<String> = ["TABLE", "VIEW", "INDEX", "TRIGGER"]
            if let kind = words.dropFirst().first(where: { kinds.contains($0) }) { return "\(first) \(kind)" }
            return first
        case "WITH": return "SELECT"
        default: return first
        }
    }

    /// `sql` from its first token on: leading white space, `-- …` and `/* … */` comments removed.
    static func withoutLeadingComments(_ sql: String) -> Substring {
        var text = Substring(sql)
        while true {
            text = text.drop(while: { $0.isWhitespace })
            if text.hasPrefix("--") {
                text = text.drop(while: { $0 != "\n" })
            } else if text.hasPrefix("/*") {
                guard let end = text.range(of: "*/") else { return "" }
                text = text[end.upperBound...]
            } else {
                return text
            }
        }
    }

    /// Runs `sql` (one or more statements) and returns the rows of the last one.
    ///
    /// With `readOnly`, stops before the first statement that would write and returns nil (the
    /// caller reruns it on the writer; nothing has been changed, the earlier statements only read).
    static func runQuery(_ sql: String, limit: Int?, in db: Database, readOnly: Bool) throws -> QueryResult? {
        let statements = try db.allStatements(sql: sql)
        var pending: Statement? = try statements.next()
        var result = QueryResult(columns: [], rows: [])
        while let statement = pending {
            if readOnly && !statement.isReadonly { return nil }
            pending = try statements.next()
            if pending == nil {
                result = try fetch(statement, limit: limit)
            } else {
                _ = try run(statement, in: db)
            }
        }
        return result
    }

    /// Reads the columns (names, logical types) and at most `limit` rows of a statement.
    static func fetch(_ statement: Statement, limit: Int?) throws -> QueryResult {
        let count = statement.columnCount
        var declared: [String] = []
        declared.reserveCapacity(count)
        for index in 0..<count {
            if let type = sqlite3_column_decltype(statement.sqliteStatement, Int32(index)) {
                declared.append(String(cString: type))
            } else {
                declared.append("")
            }
        }
        let booleans = declared.map(SQLiteTypes.isBoolean(declared:))
        var rows: [[Cell]] = []
        if limit != 0 {
            let cursor = try Row.fetchCursor(statement)
            while let row = try cursor.next() {
                var cells: [Cell] = []
                cells.reserveCapacity(count)
                for index in 0..<count {
                    cells.append(cell(row[index] as DatabaseValue, boolean: booleans[index]))
                }
                rows.append(cells)
                if let limit, rows.count >= limit { break }
            }
        }
        let names = statement.columnNames
        var columns = zip(names, declared).map { Warehouse.Column(name: $0, dataType: SQLiteTypes.logicalType(forDeclared: $1)) }
        // An expression has no declared type: its first non-null value's type stands in.
        for index in columns.indices where columns[index].dataType.isEmpty {
            for row in rows {
                let type = logicalType(of: row[index])
                if !type.isEmpty {
                    columns[index].dataType = type
                    break
                }
            }
        }
        return QueryResult(columns: columns, rows: rows)
    }

    /// A stored value as a ``Cell``. Integers in a column declared `BOOL` read back as booleans.
    static func cell(_ value: DatabaseValue, boolean: Bool) -> Cell {
        switch value.storage {
        case .null: return .null
        case .int64(let int):
            if boolean && (int == 0 || int == 1) { return .bool(int == 1) }
            return .integer(int)
        case .double(let double): return .real(double)
        case .string(let string): return .text(string)
        case .blob(let data): return .blob([UInt8](data))
        }
    }

    /// The logical type of one value (`""` for NULL).
    static func logicalType(of cell: Cell) -> String {
        switch cell {
        case .null: return ""
        case .integer: return "INT64"
        case .real: return "FLOAT64"
        case .text: return "STRING"
        case .blob: return "BYTES"
        case .bool: return "BOOL"
        }
    }

    /// A ``Cell`` as a value to bind (booleans as 1/0, as SQLite stores them).
    static func databaseValue(_ cell: Cell) -> DatabaseValue {
        switch cell {
        case .null: return .null
        case .integer(let int): return int.databaseValue
        case .real(let double): return double.databaseValue
        case .text(let string): return string.databaseValue
        case .blob(let bytes): return Data(bytes).databaseValue
        case .bool(let bool): return (bool ? Int64(1) : Int64(0)).databaseValue
        }
    }

    // MARK: - Errors

    /// A ``WarehouseError`` from a GRDB error: SQLite's message and the statement, never the
    /// bound values (GRDB leaves them out of `sql`, and we never read `arguments`).
    static func warehouseError(_ error: DatabaseError, kind: WarehouseError.Kind? = nil) -> WarehouseError {
        let message = error.message ?? "SQLite error \(error.resultCode.rawValue)"
        let resolved: WarehouseError.Kind
        if let kind {
            resolved = kind
        } else {
            switch error.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED: resolved = .timeout
            case .SQLITE_CANTOPEN, .SQLITE_NOTADB, .SQLITE_PERM, .SQLITE_CORRUPT: resolved = .connection
            default: resolved = .query
            }
        }
        return WarehouseError(resolved, message, sql: error.sql)
    }
}
