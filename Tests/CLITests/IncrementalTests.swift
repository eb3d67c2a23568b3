import Foundation
import Testing

/// `orders_inc` (incremental, unique_key order_id) under each strategy and on_schema_change
/// setting. First run: orders 1–2 at factor 1. Second run: orders up to 4 at factor 2, and the
/// incremental filter `order_id >= 2` — so order 2 arrives again with a new amount. Expected rows
/// follow dbt's documented strategies (append adds, merge and delete+insert replace by key).
@Suite struct IncrementalTests {
    func firstRun(_ project: FixtureProject, _ vars: String) throws {
        #expect(try project.opsflow("seed").exitCode == 0)
        let first = try project.opsflow("run", "-s", "orders_inc", "--vars", vars)
        #expect(first.exitCode == 0, "\(first.all)")
        #expect(try project.query("select order_id, amount from \"dev_marts.orders_inc\" order by 1, 2") == ["1|10", "2|20"])
    }

    func rows(_ project: FixtureProject, _ columns: String = "order_id, amount") throws -> [String] {
        try project.query("select \(columns) from \"dev_marts.orders_inc\" order by 1, 2")
    }

    @Test(arguments: [
        ("merge", ["1|10", "2|40", "3|10", "4|14"]),
        ("delete+insert", ["1|10", "2|40", "3|10", "4|14"]),
        ("append", ["1|10", "2|20", "2|40", "3|10", "4|14"]),
    ])
    func strategy(name: String, expected: [String]) throws {
        let project = try FixtureProject()
        try firstRun(project, "{strategy: '\(name)'}")
        let second = try project.opsflow("run", "-s", "orders_inc", "--vars", "{strategy: '\(name)', max_id: 4, factor: 2}")
        #expect(second.exitCode == 0, "\(second.all)")
        #expect(try rows(project) == expected)
        // --full-refresh rebuilds from scratch: every order at factor 2, no duplicates.
        let refresh = try project.opsflow("run", "-s", "orders_inc", "--full-refresh", "--vars", "{strategy: '\(name)', max_id: 4, factor: 2}")
        #expect(refresh.exitCode == 0, "\(refresh.all)")
        #expect(try rows(project) == ["1|20", "2|40", "3|10", "4|14"])
    }

    @Test func onSchemaChangeFailKeepsTheTable() throws {
        let project = try FixtureProject()
        try firstRun(project, "{osc: fail}")
        let second = try project.opsflow("run", "-s", "orders_inc", "--vars", "{osc: fail, add_col: true, max_id: 4}")
        // The node fails (exit 1); the invocation itself was fine.
        #expect(second.exitCode == 1, "\(second.all)")
        #expect(second.has("ERROR creating sql incremental model dev_marts.orders_inc"))
        #expect(second.doneLine == "Done. PASS=3 WARN=0 ERROR=1 SKIP=0 NO-OP=0 REUSED=0 TOTAL=4")
        #expect(try rows(project) == ["1|10", "2|20"])
        #expect(try project.query("select name from pragma_table_info('dev_marts.orders_inc')") == ["order_id", "amount", "status"])
    }

    @Test func onSchemaChangeIgnoreDropsTheNewColumn() throws {
        let project = try FixtureProject()
        try firstRun(project, "{osc: ignore}")
        #expect(try project.opsflow("run", "-s", "orders_inc", "--vars", "{add_col: true, max_id: 3}").exitCode == 0)
        #expect(try project.query("select name from pragma_table_info('dev_marts.orders_inc')") == ["order_id", "amount", "status"])
        #expect(try rows(project) == ["1|10", "2|20", "3|5"])
    }

    @Test func onSchemaChangeAppendNewColumns() throws {
        let project = try FixtureProject()
        try firstRun(project, "{osc: append_new_columns}")
        let second = try project.opsflow("run", "-s", "orders_inc", "--vars", "{osc: append_new_columns, add_col: true, max_id: 3}")
        #expect(second.exitCode == 0, "\(second.all)")
        #expect(try project.query("select name from pragma_table_info('dev_marts.orders_inc')") == ["order_id", "amount", "status", "extra"])
        // Order 1 was not in the new batch: its new column stays NULL.
        #expect(try rows(project, "order_id, extra") == ["1|None", "2|x", "3|x"])
    }

    @Test func onSchemaChangeSyncAllColumns() throws {
        let project = try FixtureProject()
        try firstRun(project, "{osc: sync_all_columns}")
        let second = try project.opsflow("run", "-s", "orders_inc", "--vars",
                                         "{osc: sync_all_columns, add_col: true, drop_status: true, max_id: 3}")
        #expect(second.exitCode == 0, "\(second.all)")
        #expect(try project.query("select name from pragma_table_info('dev_marts.orders_inc')") == ["order_id", "amount", "extra"])
        #expect(try rows(project, "order_id, amount, extra") == ["1|10|None", "2|20|x", "3|5|x"])
    }
}
