import Foundation
import GRDB
import GRDBSQLite
import Warehouse
import WarehouseSQLite

/// Bounds on one dashboard or page query.
public struct QueryLimits: Sendable, Hashable {
    /// Rows returned at most; further rows are not read (the result says it was cut).
    public var maxRows: Int
    /// Wall-clock seconds after which SQLite interrupts the statement.
    public var timeout: Double
    public init(maxRows: Int = 5_000, timeout: Double = 5) {
        self.maxRows = maxRows
        self.timeout = timeout
    }
}

/// A query result plus whether the row limit cut it.
public struct LimitedResult: Sendable {
    public var result: QueryResult
    public var truncated: Bool
}

/// The narrow warehouse surface the Web module needs: read-only queries with *bound* named
/// parameters. The engine's `Adapter.query(_:limit:)` takes SQL only, so filter values could not be
/// bound through it; this protocol is the seam for other warehouses.
public protocol ReadOnlyWarehouse: Sendable {
    /// Runs one statement. `parameters` bind `:name` placeholders (values never enter the SQL text).
    /// - Throws: ``WebError/query`` (SQL errors, writes refused by the read-only connection, more
    ///   than one statement), ``WebError/timeout``.
    func query(_ sql: String, parameters: [String: Cell], limits: QueryLimits) throws -> LimitedResult

    /// The columns of a relation as the warehouse stores them (name, declared type), in order;
    /// `relationName` is the manifest's `relation_name`. Empty when the relation does not exist.
    func columns(ofRelation relationName: String) -> [Warehouse.Column]
}

/// The embedded SQLite warehouse opened read-only through a GRDB `DatabasePool` (WAL readers run
/// while a build writes; DESIGN.md, Web). Every connection is opened `SQLITE_OPEN_READONLY` and
/// also sets `PRAGMA query_only`, so no statement can change the file.
public final class SQLiteReadOnlyWarehouse: ReadOnlyWarehouse {
    private let pool: DatabasePool
    public let path: String

    /// - Throws: ``WebError/io`` when the file is missing or is not a SQLite database.
    public init(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw WebError.io("warehouse \(path) not found: run `opsflow build` first")
        }
        var config = Configuration()
        config.readonly = true
        // A build may hold the write lock (a checkpoint, a table swap) as the reader opens: wait
        // for it rather than failing the page.
        config.busyMode = .timeout(10)
        config.maximumReaderCount = 4
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA query_only = 1") }
        do { pool = try DatabasePool(path: path, configuration: config) } catch {
            throw WebError.io("cannot open \(path) read-only: \(error)")
        }
        self.path = path
    }

    public func query(_ sql: String, parameters: [String: Cell], limits: QueryLimits) throws -> LimitedResult {
        do {
            return try pool.read { db in try Self.run(db, sql, parameters, limits) }
        } catch let error as WebError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_INTERRUPT {
            throw WebError.timeout(limits.timeout)
        } catch let error as DatabaseError {
            throw WebError.query(error.message ?? "\(error.resultCode)")
        } catch {
            throw WebError.query("\(error)")
        }
    }

    public func columns(ofRelation relationName: String) -> [Warehouse.Column] {
        // The embedded warehouse's relation is one quoted identifier: "schema.identifier", or
        // `schema.identifier` when the target's dialect is bigquery.
        var table = relationName
        if table.hasPrefix("\""), table.hasSuffix("\""), table.count >= 2 {
            table = String(table.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
        } else if table.hasPrefix("`"), table.hasSuffix("`"), table.count >= 2 {
            table = String(table.dropFirst().dropLast())
        }
        guard let out = try? query("select name, type from pragma_table_info(:table) order by cid",
                                   parameters: ["table": .text(table)], limits: QueryLimits(maxRows: 5_000, timeout: 2)) else { return [] }
        // Logical types as the engine's SQLite adapter reports them: the declared type mapped, or
        // (CTAS and view columns have none) the type of the column's first non-null value. One
        // sample row serves every column: a view is computed on each read, and reading an
        // aggregating view once per column took seconds.
        let sample = try? query("select * from \(relationName) limit 1", parameters: [:], limits: QueryLimits(maxRows: 1, timeout: 2))
        let sampleRow = sample?.result.rows.first ?? []
        let isTable = (try? query("select type from sqlite_master where name = :table", parameters: ["table": .text(table)],
                                  limits: QueryLimits(maxRows: 1, timeout: 1)))?.result.rows.first?.first == .text("table")
        return out.result.rows.enumerated().map { index, row in
            let name = row.first?.displayText ?? ""
            let declared = row.count > 1 ? row[1].displayText : ""
            var logical = SQLiteTypes.logicalType(forDeclared: declared)
            if declared.isEmpty {
                var cell = index < sampleRow.count ? sampleRow[index] : .null
                if cell == .null, isTable {
                    // Tables are cheap to search for a non-null value; views are not searched.
                    let column = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                    cell = (try? query("select \(column) from \(relationName) where \(column) is not null limit 1",
                                       parameters: [:], limits: QueryLimits(maxRows: 1, timeout: 1)))?.result.rows.first?.first ?? .null
                }
                switch cell {
                case .integer: logical = "INT64"
                case .real: logical = "FLOAT64"
                case .text: logical = "STRING"
                case .blob: logical = "BYTES"
                case .bool: logical = "BOOL"
                case .null: logical = ""
                }
            }
            return Warehouse.Column(name: name, dataType: logical)
        }
    }

    /// Deadline shared with SQLite's progress handler (a C callback, hence a class behind a pointer).
    private final class Deadline {
        let at: UInt64
        init(seconds: Double) { at = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, seconds) * 1e9) }
    }

    private static func run(_ db: Database, _ sql: String, _ parameters: [String: Cell], _ limits: QueryLimits) throws -> LimitedResult {
        // `makeStatement` refuses SQL with a second statement after the first.
        let statement = try db.makeStatement(sql: sql)
        guard statement.isReadonly else { throw WebError.query("only read-only SELECT statements are allowed") }
        var named: [String: (any DatabaseValueConvertible)?] = [:]
        for (name, value) in parameters where sql.contains(":" + name) { named[name] = databaseValue(value) }
        try statement.setArguments(StatementArguments(named))

        let deadline = Deadline(seconds: limits.timeout)
        let context = Unmanaged.passRetained(deadline)
        defer {
            sqlite3_progress_handler(db.sqliteConnection, 0, nil, nil)
            context.release()
        }
        // Every 1,000 virtual-machine steps SQLite asks whether to go on; past the deadline the
        // statement ends with SQLITE_INTERRUPT.
        sqlite3_progress_handler(db.sqliteConnection, 1_000, { raw in
            guard let raw else { return 0 }
            let deadline = Unmanaged<Deadline>.fromOpaque(raw).takeUnretainedValue()
            return DispatchTime.now().uptimeNanoseconds > deadline.at ? 1 : 0
        }, context.toOpaque())

        let columns = statement.columnNames.map { Warehouse.Column(name: $0, dataType: "") }
        var rows: [[Cell]] = []
        var truncated = false
        let cursor = try Row.fetchCursor(statement)
        while let row = try cursor.next() {
            if rows.count >= limits.maxRows { truncated = true; break }
            rows.append(row.databaseValues.map(cell))
        }
        return LimitedResult(result: QueryResult(columns: columns, rows: rows), truncated: truncated)
    }

    private static func databaseValue(_ cell: Cell) -> (any DatabaseValueConvertible)? {
        switch cell {
        case .null: return nil
        case .integer(let i): return i
        case .real(let d): return d
        case .text(let s): return s
        case .blob(let b): return Data(b)
        case .bool(let b): return b
        }
    }

    private static func cell(_ value: DatabaseValue) -> Cell {
        switch value.storage {
        case .null: return .null
        case .int64(let i): return .integer(i)
        case .double(let d): return .real(d)
        case .string(let s): return .text(s)
        case .blob(let data): return .blob([UInt8](data))
        }
    }
}

extension Cell {
    /// The cell as display text (NULL as the empty string).
    public var displayText: String {
        switch self {
        case .null: return ""
        case .integer(let i): return String(i)
        case .real(let d):
            if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
            return String(format: "%.4g", d)
        case .text(let s): return s
        case .blob(let b): return "<\(b.count) bytes>"
        case .bool(let b): return b ? "true" : "false"
        }
    }

    /// The cell as a number for charts (text that parses as a number counts).
    public var number: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .real(let d): return d
        case .bool(let b): return b ? 1 : 0
        case .text(let s): return Double(s)
        case .null, .blob: return nil
        }
    }
}

/// Opens the SQLite warehouse on first use, so `opsflow serve` can start before the first build
/// has created the file (pages show the error until then).
public final class LazySQLiteWarehouse: ReadOnlyWarehouse, @unchecked Sendable {
    public let path: String
    private let lock = NSLock()
    private var opened: SQLiteReadOnlyWarehouse?

    public init(path: String) { self.path = path }

    func warehouse() throws -> SQLiteReadOnlyWarehouse {
        lock.lock()
        defer { lock.unlock() }
        if let opened { return opened }
        let made = try SQLiteReadOnlyWarehouse(path: path)
        opened = made
        return made
    }

    public func query(_ sql: String, parameters: [String: Cell], limits: QueryLimits) throws -> LimitedResult {
        try warehouse().query(sql, parameters: parameters, limits: limits)
    }

    public func columns(ofRelation relationName: String) -> [Warehouse.Column] {
        (try? warehouse())?.columns(ofRelation: relationName) ?? []
    }
}
