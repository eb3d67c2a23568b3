import Foundation
import Warehouse
import WarehouseSQLite

/// A fresh database file in its own temporary folder.
///
/// The folder is not removed when the scratch goes away: `let a = try Scratch().adapter` must
/// keep working after the scratch value is released, and the system cleans its temporary folder.
struct Scratch {
    let folder: URL
    let path: String
    let adapter: SQLiteAdapter

    init(schema: String? = "dev") throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("opsflow-sqlite-\(UUID().uuidString)")
        path = folder.appendingPathComponent("warehouse.db").path
        adapter = try SQLiteAdapter(path: path, schema: schema)
    }

    /// A second, independent adapter on the same file (another process, as the dashboard is).
    func reopen() throws -> SQLiteAdapter {
        try SQLiteAdapter(path: path, schema: nil)
    }
}

extension SQLiteAdapter {
    /// The single value of a one-row, one-column query.
    func scalar(_ sql: String) throws -> Cell? {
        try query(sql, limit: nil).rows.first?.first
    }
}
