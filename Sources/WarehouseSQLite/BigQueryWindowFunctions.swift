import Foundation
import GRDB
import GRDBSQLite

/// `bq_string_agg` and `bq_array_agg` registered with `sqlite3_create_window_function`, so that
/// STRING_AGG and ARRAY_AGG work both as aggregates and over a window (`OVER (…)`): GRDB's
/// aggregates cannot be window functions (<https://www.sqlite.org/windowfunctions.html#udfwinfunc>).
/// Also `bq_first_value_ignore_nulls` / `bq_last_value_ignore_nulls`: FIRST_VALUE/LAST_VALUE
/// `… IGNORE NULLS` — the first/last non-NULL value of the frame
/// (<https://cloud.google.com/bigquery/docs/reference/standard-sql/navigation_functions#first_value>).
///
/// The state lives in a ``Box`` whose pointer SQLite keeps in the aggregate context; `xInverse`
/// drops the oldest row of the frame, `xValue` reports the current frame, `xFinal` reports and
/// releases.
enum BigQueryWindowFunctions {
    final class Box {
        var rows: OrderedRows
        var failed = false
        /// FIRST_VALUE/LAST_VALUE IGNORE NULLS: the frame's values in order (NULLs included, so
        /// that the inverse step drops the right one).
        var frame: [DatabaseValue] = []
        var start = 0
        let navigation: Int
        init(tag: Int) {
            rows = OrderedRows(isArray: tag == 2)
            navigation = tag >= 3 ? tag : 0
        }

        func result() throws -> DatabaseValueConvertible? {
            switch navigation {
            case 3: return frame[start...].first(where: { !$0.isNull })
            case 4: return frame[start...].last(where: { !$0.isNull })
            default: return try rows.finalize()
            }
        }
    }

    /// `pApp` tells the two functions apart (1: STRING_AGG, 2: ARRAY_AGG).
    static var stringTag: UnsafeMutableRawPointer? { UnsafeMutableRawPointer(bitPattern: 1) }
    static var arrayTag: UnsafeMutableRawPointer? { UnsafeMutableRawPointer(bitPattern: 2) }

    static func register(in db: Database) {
        guard let connection = db.sqliteConnection else { return }
        let flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC
        let functions = [
            ("bq_string_agg", stringTag), ("bq_array_agg", arrayTag),
            ("bq_first_value_ignore_nulls", UnsafeMutableRawPointer(bitPattern: 3)),
            ("bq_last_value_ignore_nulls", UnsafeMutableRawPointer(bitPattern: 4)),
        ]
        for (name, tag) in functions {
            _ = sqlite3_create_window_function(connection, name, -1, flags, tag, xStep, xFinal, xValue, xInverse, nil)
        }
    }

    /// The box of this aggregate, created on first use; nil when `create` is false and none exists.
    static func box(_ context: OpaquePointer?, create: Bool) -> Box? {
        let size = MemoryLayout<UnsafeMutableRawPointer?>.stride
        guard let raw = sqlite3_aggregate_context(context, create ? CInt(size) : 0) else { return nil }
        let slot = raw.assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
        if let existing = slot.pointee {
            return Unmanaged<Box>.fromOpaque(existing).takeUnretainedValue()
        }
        guard create else { return nil }
        let tag = Int(bitPattern: sqlite3_user_data(context))
        let box = Box(tag: tag)
        slot.pointee = Unmanaged.passRetained(box).toOpaque()
        return box
    }

    static func value(_ value: OpaquePointer?) -> DatabaseValue {
        switch sqlite3_value_type(value) {
        case SQLITE_INTEGER: return sqlite3_value_int64(value).databaseValue
        case SQLITE_FLOAT: return sqlite3_value_double(value).databaseValue
        case SQLITE_TEXT:
            guard let text = sqlite3_value_text(value) else { return .null }
            return String(cString: text).databaseValue
        case SQLITE_BLOB:
            let count = Int(sqlite3_value_bytes(value))
            guard let bytes = sqlite3_value_blob(value), count > 0 else { return Data().databaseValue }
            return Data(bytes: bytes, count: count).databaseValue
        default: return .null
        }
    }

    static func report(_ result: DatabaseValueConvertible?, _ context: OpaquePointer?) {
        switch result?.databaseValue.storage ?? .null {
        case .null: sqlite3_result_null(context)
        case .int64(let i): sqlite3_result_int64(context, i)
        case .double(let d): sqlite3_result_double(context, d)
        case .string(let s): sqlite3_result_text(context, s, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        case .blob(let data):
            data.withUnsafeBytes { bytes in
                sqlite3_result_blob(context, bytes.baseAddress, CInt(bytes.count), unsafeBitCast(-1, to: sqlite3_destructor_type.self))
            }
        }
    }

    static func fail(_ error: Error, _ context: OpaquePointer?) {
        let message = (error as? DatabaseError)?.message ?? "\(error)"
        sqlite3_result_error(context, message, -1)
    }

    static let xStep: @convention(c) (OpaquePointer?, CInt, UnsafeMutablePointer<OpaquePointer?>?) -> Void = { context, count, arguments in
        guard let box = box(context, create: true), !box.failed else { return }
        let values = (0..<Int(count)).map { value(arguments?[$0]) }
        if box.navigation != 0 {
            box.frame.append(values.first ?? .null)
            return
        }
        do {
            try box.rows.step(values)
        } catch {
            box.failed = true
            fail(error, context)
        }
    }

    static let xInverse: @convention(c) (OpaquePointer?, CInt, UnsafeMutablePointer<OpaquePointer?>?) -> Void = { context, _, _ in
        guard let box = box(context, create: false) else { return }
        if box.navigation != 0 {
            // Drop the oldest value; compact now and then so the frame does not grow forever.
            box.start += 1
            if box.start > 1024 && box.start * 2 > box.frame.count {
                box.frame.removeFirst(box.start)
                box.start = 0
            }
        } else {
            box.rows.removeFirst()
        }
    }

    static let xValue: @convention(c) (OpaquePointer?) -> Void = { context in
        guard let box = box(context, create: false) else { return sqlite3_result_null(context) }
        do {
            report(try box.result(), context)
        } catch {
            fail(error, context)
        }
    }

    static let xFinal: @convention(c) (OpaquePointer?) -> Void = { context in
        guard let raw = sqlite3_aggregate_context(context, 0) else { return sqlite3_result_null(context) }
        let slot = raw.assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
        guard let pointer = slot.pointee else { return sqlite3_result_null(context) }
        let box = Unmanaged<Box>.fromOpaque(pointer).takeRetainedValue()
        slot.pointee = nil
        if box.failed { return }
        do {
            report(try box.result(), context)
        } catch {
            fail(error, context)
        }
    }
}
