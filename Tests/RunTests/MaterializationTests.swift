import Foundation
import Testing
import Warehouse
import WarehouseSQLite
@testable import Run

/// The materializations on a real SQLite file. Expected rows follow dbt's documented semantics
/// (docs.getdbt.com/docs/build/incremental-strategy, /reference/resource-configs/on_schema_change,
/// /reference/resource-configs/pre-hook-post-hook, /reference/resource-configs/severity).
@Suite struct MaterializationTests {
    let adapter: SQLiteAdapter
    let target = Relation(schema: "dev", identifier: "m")

    init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("opsflow-mat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        adapter = try SQLiteAdapter(path: folder.appendingPathComponent("w.db").path, schema: "dev")
    }

    func node(_ materialized: String, _ sql: String) -> ExecutableNode {
        ExecutableNode(uniqueId: "model.p.m", kind: .model, name: "m", relation: target, materialized: materialized, compiledSQL: sql)
    }

    func rows(_ sql: String = "select * from \"dev.m\" order by 1") throws -> [[Cell]] {
        try adapter.query(sql, limit: nil).rows
    }

    @Test func incrementalMergeOnACompositeKey() throws {
        defer { adapter.close() }
        var model = node("incremental", "select 1 as a, 'x' as b, 10 as v union all select 1, 'y', 20")
        model.incremental.uniqueKey = ["a", "b"]
        model.incremental.strategy = "merge"
        _ = try ModelMaterializer.run(model, adapter: adapter)
        // (1, y) arrives again with a new value; (2, x) is new; (1, x) is untouched.
        model.compiledSQL = "select 1 as a, 'y' as b, 21 as v union all select 2, 'x', 30"
        _ = try ModelMaterializer.run(model, adapter: adapter)
        #expect(try rows("select * from \"dev.m\" order by 1, 2") == [[.integer(1), .text("x"), .integer(10)], [.integer(1), .text("y"), .integer(21)],
                               [.integer(2), .text("x"), .integer(30)]])
    }

    @Test func incrementalWithoutKeyAppends() throws {
        defer { adapter.close() }
        var model = node("incremental", "select 1 as a, 10 as v")
        _ = try ModelMaterializer.run(model, adapter: adapter)
        model.compiledSQL = "select 1 as a, 11 as v"
        _ = try ModelMaterializer.run(model, adapter: adapter)
        #expect(try rows("select * from \"dev.m\" order by 1, 2") == [[.integer(1), .integer(10)], [.integer(1), .integer(11)]])
    }

    @Test func deleteInsertWithoutKeyIsAConfigError() throws {
        defer { adapter.close() }
        var model = node("incremental", "select 1 as a")
        model.incremental.strategy = "delete+insert"
        _ = try ModelMaterializer.run(model, adapter: adapter)
        #expect(throws: RunError.self) { try ModelMaterializer.run(model, adapter: adapter) }
        #expect(try rows() == [[.integer(1)]])
    }

    @Test func onSchemaChangeFailThrowsAndKeepsTheTable() throws {
        defer { adapter.close() }
        var model = node("incremental", "select 1 as a")
        model.incremental.onSchemaChange = "fail"
        _ = try ModelMaterializer.run(model, adapter: adapter)
        model.compiledSQL = "select 2 as a, 3 as b"
        let error = #expect(throws: RunError.self) { try ModelMaterializer.run(model, adapter: adapter) }
        #expect(error?.kind == .schemaChange)
        #expect(try rows() == [[.integer(1)]])
        // The staging table is gone.
        #expect(try adapter.query("select count(*) from sqlite_master where name like '%tmp%'", limit: nil).rows == [[.integer(0)]])
    }

    @Test func aFailingModelRollsBackItsPreHook() throws {
        defer { adapter.close() }
        _ = try adapter.execute("create table log (e text)")
        var model = node("table", "select no_such_column from log")
        model.preHooks = ["insert into log values ('pre')"]
        model.postHooks = ["insert into log values ('post')"]
        #expect(throws: WarehouseError.self) { try ModelMaterializer.run(model, adapter: adapter) }
        #expect(try rows("select * from log") == [])
        model.compiledSQL = "select 1 as a"
        let outcome = try ModelMaterializer.run(model, adapter: adapter)
        #expect(try rows("select * from log") == [[.text("pre")], [.text("post")]])
        #expect(outcome.executedSQL.first == "insert into log values ('pre')")
        #expect(outcome.executedSQL.last == "insert into log values ('post')")
    }

    @Test func aFailingTableBuildKeepsThePreviousTable() throws {
        defer { adapter.close() }
        _ = try ModelMaterializer.run(node("table", "select 1 as a"), adapter: adapter)
        #expect(throws: WarehouseError.self) { try ModelMaterializer.run(node("table", "select 1/ as a"), adapter: adapter) }
        #expect(try rows() == [[.integer(1)]])
    }

    @Test func viewReplacesTableAndBack() throws {
        defer { adapter.close() }
        _ = try ModelMaterializer.run(node("table", "select 1 as a"), adapter: adapter)
        let view = try ModelMaterializer.run(node("view", "select 2 as a"), adapter: adapter)
        #expect(view.response?.message == "CREATE VIEW")
        #expect(try adapter.getRelation(database: nil, schema: "dev", identifier: "m")?.kind == .view)
        _ = try ModelMaterializer.run(node("table", "select 3 as a"), adapter: adapter)
        #expect(try adapter.getRelation(database: nil, schema: "dev", identifier: "m")?.kind == .table)
        #expect(try rows() == [[.integer(3)]])
    }

    @Test func unknownMaterializationIsAnError() throws {
        defer { adapter.close() }
        let error = #expect(throws: RunError.self) { try ModelMaterializer.run(node("snapshot_ish", "select 1"), adapter: adapter) }
        #expect(error?.kind == .unsupported)
    }

    // MARK: - data tests: severity, warn_if, error_if

    func dataTest(failingRows: Int, severity: String = "error", warnIf: String = "!= 0", errorIf: String = "!= 0",
                  limit: Int? = nil) -> ExecutableNode {
        var node = ExecutableNode(uniqueId: "test.p.t", kind: .test, name: "t", relation: nil, materialized: "test",
                                  compiledSQL: "with recursive n(i) as (select 1 union all select i + 1 from n where i < \(failingRows)) select i from n where \(failingRows) > 0")
        node.test.severity = severity
        node.test.warnIf = warnIf
        node.test.errorIf = errorIf
        node.test.limit = limit
        return node
    }

    @Test(arguments: [
        // (failing rows, severity, warn_if, error_if) → status: dbt evaluates error_if first, then warn_if.
        (0, "error", "!= 0", "!= 0", NodeStatus.pass),
        (3, "error", "!= 0", "!= 0", NodeStatus.fail),
        (3, "warn", "!= 0", "!= 0", NodeStatus.warn),
        (3, "error", "!= 0", "> 10", NodeStatus.warn),
        (11, "error", "!= 0", "> 10", NodeStatus.fail),
        (3, "error", "> 5", "> 10", NodeStatus.pass),
    ])
    func severityThresholds(failing: Int, severity: String, warnIf: String, errorIf: String, expected: NodeStatus) throws {
        defer { adapter.close() }
        let outcome = try TestExecutor.run(dataTest(failingRows: failing, severity: severity, warnIf: warnIf, errorIf: errorIf),
                                           adapter: adapter)
        #expect(outcome.status == expected)
        #expect(outcome.failures == failing)
    }

    @Test func failureMessagesAsDbt() throws {
        defer { adapter.close() }
        #expect(try TestExecutor.run(dataTest(failingRows: 3), adapter: adapter).message == "Got 3 results, configured to fail if != 0")
        #expect(try TestExecutor.run(dataTest(failingRows: 1, severity: "warn"), adapter: adapter).message
                == "Got 1 result, configured to warn if != 0")
    }

    @Test func limitCapsTheFailures() throws {
        defer { adapter.close() }
        #expect(try TestExecutor.run(dataTest(failingRows: 50, limit: 7), adapter: adapter).failures == 7)
    }
}
