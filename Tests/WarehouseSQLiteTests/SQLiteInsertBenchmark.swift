import Foundation
import Testing
import Warehouse
@testable import WarehouseSQLite

/// Not a timed test: measures bulk-insert speed when `OPSFLOW_BENCH=1`, e.g.
/// `OPSFLOW_BENCH=1 swift test -c release --filter SQLiteInsertBenchmark`. Prints rows per second.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["OPSFLOW_BENCH"] == "1"))
struct SQLiteInsertBenchmark {
    @Test func insertOneMillionRows() throws {
        let a = try Scratch().adapter
        let relation = Relation(schema: "raw", identifier: "orders")
        try a.createTable(relation, columns: [
            Column(name: "waybill_no", dataType: "STRING"), Column(name: "create_date", dataType: "TIMESTAMP"),
            Column(name: "client_name", dataType: "STRING"), Column(name: "weight", dataType: "FLOAT64"),
            Column(name: "pieces", dataType: "INT64"),
        ])
        let count = 1_000_000
        var rows: [[Cell]] = []
        rows.reserveCapacity(count)
        for i in 0..<count {
            rows.append([.text("WB\(100_000_000 + i)"), .text("2024-03-\(10 + i % 20) 08:\(10 + i % 50):00"),
                         .text(i % 7 == 0 ? "Client_A D2D" : "Seller \(i % 500)"), .real(Double(i % 1000) / 10), .integer(Int64(i % 5))])
        }
        let start = Date()
        let inserted = try a.insert(into: relation, columns: ["waybill_no", "create_date", "client_name", "weight", "pieces"], rows: rows)
        let seconds = Date().timeIntervalSince(start)
        #expect(inserted == count)
        print("insert: \(count) rows × 5 columns in \(String(format: "%.2f", seconds)) s = \(Int(Double(count) / seconds)) rows/s")
    }
}
