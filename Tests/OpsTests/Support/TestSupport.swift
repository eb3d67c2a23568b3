import Foundation
@testable import Ops
import Warehouse
import WarehouseSQLite

/// A temporary folder removed when the value goes away.
final class TempDir: @unchecked Sendable {
    let url: URL
    var path: String { url.path }

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("opsflow-ops-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes bytes to a file in the folder and returns its path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
        return file.path
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }
}

/// A real SQLite warehouse and state database in a temporary folder.
struct LoadFixture {
    let dir: TempDir
    let adapter: SQLiteAdapter
    let state: StateStore
    let loader: SourceLoader

    init() throws {
        dir = try TempDir()
        adapter = try SQLiteAdapter(path: dir.url.appendingPathComponent("warehouse.sqlite").path, schema: "dev")
        state = try StateStore(path: dir.url.appendingPathComponent(".opsflow/state.sqlite").path)
        loader = SourceLoader(adapter: adapter, state: state, targetName: "dev")
    }

    /// `shop.orders`, every contract type once; `id` and `created` are required.
    static let orders = SourceContract(
        sourceName: "shop", tableName: "orders", relation: Relation(schema: "raw", identifier: "orders", kind: .table),
        fields: [
            .init(name: "id", declaredType: "INT64", required: true),
            .init(name: "amount", declaredType: "FLOAT64"),
            .init(name: "paid", declaredType: "BOOL"),
            .init(name: "day", declaredType: "DATE"),
            .init(name: "created", declaredType: "TIMESTAMP", required: true),
            .init(name: "note", declaredType: "STRING"),
        ])

    func rows(_ sql: String) throws -> [[Cell]] { try adapter.query(sql, limit: nil).rows }

    func count(_ relation: String) throws -> Int {
        guard case .integer(let n)? = try rows("select count(*) from \(relation)").first?.first else { return -1 }
        return Int(n)
    }
}
