import Foundation
import Testing
import Warehouse
import WarehouseSQLite

/// The adapter in the `bigquery` dialect: model SQL is translated in replaceTable/replaceView,
/// execute and query; created tables keep BigQuery's logical types.
@Suite("SQLiteAdapter with dialect bigquery")
struct BigQueryAdapterTests {
    static func warehouse() throws -> SQLiteAdapter {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("opsflow-bqa-\(UUID().uuidString)")
        return try SQLiteAdapter(path: folder.appendingPathComponent("w.db").path, schema: "dev", dialect: "bigquery")
    }

    @Test("replaceTable declares the BigQuery type of every translated column")
    func declaredTypes() throws {
        let w = try Self.warehouse()
        let target = Relation(database: nil, schema: "dev", identifier: "typed")
        _ = try w.replaceTable(target, withSelect: """
            SELECT 1 AS n, 1 / 2 AS ratio, DATE '2025-01-06' AS day, TIMESTAMP '2025-01-06 08:00:00' AS created_at,
                   DATE_ADD(DATE '2025-01-06', INTERVAL 1 DAY) AS next_day, 'x' AS s, 1 < 2 AS flag,
                   FORMAT_DATE('%a', DATE '2025-01-06') AS weekday, NUMERIC '1.5' AS amount
            """)
        let columns = try w.columns(of: target)
        #expect(columns.map(\.dataType) == ["INT64", "FLOAT64", "DATE", "TIMESTAMP", "DATE", "STRING", "BOOL", "STRING", "NUMERIC"])
        // A later model reads the types back: DATE arithmetic on the stored column works.
        let result = try w.query("SELECT DATE_DIFF(next_day, day, DAY) AS d, weekday, flag FROM dev.typed", limit: nil)
        #expect(result.rows == [[.integer(1), .text("Mon"), .bool(true)]])
        #expect(result.columns.map(\.dataType) == ["INT64", "STRING", "BOOL"])
    }

    @Test("replaceView translates the view's query; dependent models read it")
    func views() throws {
        let w = try Self.warehouse()
        _ = try w.replaceTable(Relation(database: nil, schema: "dev", identifier: "base"), withSelect: "SELECT x FROM UNNEST([1, 2, 3, 4]) AS x")
        _ = try w.replaceView(Relation(database: nil, schema: "dev", identifier: "shares"), withSelect: "SELECT x, x / SUM(x) OVER () AS share FROM `dev.base`")
        let result = try w.query("SELECT share FROM dev.shares WHERE x = 1", limit: nil)
        #expect(result.rows == [[.real(0.1)]])
    }

    @Test("refs rendered by the adapter are backticked and accepted by both dialects")
    func quoting() throws {
        let w = try Self.warehouse()
        let relation = Relation(database: nil, schema: "dev", identifier: "orders")
        #expect(w.render(relation) == "`dev.orders`")
        _ = try w.replaceTable(relation, withSelect: "SELECT 1 AS id, 'a' AS `client name`")
        // The runner's incremental SQL is built from quote()/render(): it is BigQuery SQL too.
        let tmp = relation.withIdentifier("orders__dbt_tmp")
        try w.execute(w.createTableAsSQL(tmp, "SELECT 2 AS id, 'b' AS `client name`"))
        try w.execute("delete from \(w.render(relation))\nwhere (\(w.quote("id"))) in (\n  select \(w.quote("id")) from \(w.render(tmp))\n)")
        try w.execute("insert into \(w.render(relation)) (\(w.quote("id")), \(w.quote("client name")))\nselect \(w.quote("id")), \(w.quote("client name")) from \(w.render(tmp))")
        let rows = try w.query("SELECT id, `client name` FROM dev.orders ORDER BY id", limit: nil).rows
        #expect(rows == [[.integer(1), .text("a")], [.integer(2), .text("b")]])
    }

    @Test("division by zero in a model is an error and leaves the old table")
    func errorsKeepOldTable() throws {
        let w = try Self.warehouse()
        let target = Relation(database: nil, schema: "dev", identifier: "t")
        _ = try w.replaceTable(target, withSelect: "SELECT 1 AS a")
        #expect(throws: WarehouseError.self) { try w.replaceTable(target, withSelect: "SELECT a / 0 AS a FROM UNNEST([1]) AS a") }
        #expect(try w.query("SELECT a FROM dev.t", limit: nil).rows == [[.integer(1)]])
    }

    @Test("unsupported SQL fails before running, naming the construct, line and column")
    func unsupported() throws {
        let w = try Self.warehouse()
        do {
            _ = try w.query("SELECT 1\nFROM t TABLESAMPLE SYSTEM (1 PERCENT)", limit: nil)
            Issue.record("expected an error")
        } catch let error as WarehouseError {
            #expect(error.kind == .unsupported)
            #expect(error.message.contains("line 2, column 8"))
            #expect(error.message.contains("TABLESAMPLE"))
        }
    }

    @Test("the sqlite dialect is untouched: SQLite SQL runs as before")
    func sqliteDialect() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("opsflow-bqa-\(UUID().uuidString)")
        let w = try SQLiteAdapter(path: folder.appendingPathComponent("w.db").path, schema: "dev")
        #expect(w.render(Relation(database: nil, schema: "dev", identifier: "x")) == "\"dev.x\"")
        #expect(try w.query("select 7 / 2 as v", limit: nil).rows == [[.integer(3)]])
        // The BigQuery functions are registered in every dialect (bq_ prefix), harmless here.
        #expect(try w.query("select bq_divide(7, 2) as v", limit: nil).rows == [[.real(3.5)]])
    }
}
