import Foundation
import Testing
import Warehouse
@testable import WarehouseSQLite

@Suite struct SQLiteSwapTests {
    let orders = Relation(schema: "marts", identifier: "orders")

    @Test func replaceTableBuildsAndKeepsColumnTypes() throws {
        let a = try Scratch().adapter
        try a.createTable(Relation(schema: "raw", identifier: "src"), columns: [
            Column(name: "id", dataType: "INT64"), Column(name: "day", dataType: "DATE"), Column(name: "ok", dataType: "BOOL"),
        ])
        try a.execute(#"insert into "raw.src" values (1, '2024-01-01', 1), (2, '2024-01-02', 0)"#)
        let outcome = try a.replaceTableReporting(orders, withSelect: #"select id, day, ok, id * 2 as twice from "raw.src";"#)
        #expect(outcome.response.rowsAffected == 2)
        #expect(outcome.statements == [
            #"DROP TABLE IF EXISTS "marts.orders__opsflow_tmp""#,
            #"CREATE TABLE "marts.orders__opsflow_tmp" ("id" INT64, "day" DATE TEXT, "ok" BOOL, "twice")"#,
            #"INSERT INTO "marts.orders__opsflow_tmp" select id, day, ok, id * 2 as twice from "raw.src""#,
            #"ALTER TABLE "marts.orders__opsflow_tmp" RENAME TO "marts.orders""#,
        ])
        #expect(try a.columns(of: orders).map(\.dataType) == ["INT64", "DATE", "BOOL", "INT64"])
        #expect(try a.query(#"select ok from "marts.orders" order by id"#, limit: nil).rows == [[.bool(true)], [.bool(false)]])
    }

    /// The SQLite ≥ 3.26 trap: renaming a table re-checks every view, and a view naming the table
    /// being replaced (dropped a moment before) makes the rename fail. Views must survive.
    @Test func replacingATableThatViewsDependOnKeepsTheViewsWorking() throws {
        let a = try Scratch().adapter
        _ = try a.replaceTable(orders, withSelect: "select 1 as id union all select 2")
        _ = try a.replaceView(Relation(schema: "marts", identifier: "orders_v"), withSelect: #"select count(*) as n from "marts.orders""#)
        try a.execute(#"create view "other.orders_v2" as select sum(n) as n from "marts.orders_v""#)
        let second = try a.replaceTableReporting(orders, withSelect: "select 10 as id union all select 20 union all select 30")
        #expect(second.statements.contains(#"DROP TABLE "marts.orders""#))
        #expect(try a.scalar(#"select n from "marts.orders_v""#) == .integer(3))
        #expect(try a.scalar(#"select n from "other.orders_v2""#) == .integer(3))
        // The views still name "marts.orders", not the temporary table.
        let definition = try a.scalar(#"select sql from sqlite_schema where name = 'marts.orders_v'"#)
        #expect(definition == .text(#"CREATE VIEW "marts.orders_v" AS select count(*) as n from "marts.orders""#))
        #expect(try a.listRelations(schema: "marts").map(\.identifier) == ["orders", "orders_v"])
    }

    @Test func aFailedBuildLeavesThePreviousTableAndNoLeftovers() throws {
        let a = try Scratch().adapter
        _ = try a.replaceTable(orders, withSelect: "select 1 as id")
        for bad in ["select * from no_such_table", "select syntax error here", "select 1; drop table \"marts.orders\"",
                    "insert into x values (1)", "select 1/0 as a, abs(-9223372036854775808) as b"] {
            #expect(throws: WarehouseError.self, "\(bad)") { try a.replaceTable(orders, withSelect: bad) }
            #expect(try a.query(#"select id from "marts.orders""#, limit: nil).rows == [[.integer(1)]])
            #expect(try a.listRelations(schema: "marts").map(\.identifier) == ["orders"])
        }
    }

    @Test func aFailedBuildInsideATransactionRollsBackOnlyItself() throws {
        let a = try Scratch().adapter
        _ = try a.replaceTable(orders, withSelect: "select 1 as id")
        try a.transaction {
            #expect(throws: WarehouseError.self) { try a.replaceTable(orders, withSelect: "select nope") }
            _ = try a.replaceTable(orders, withSelect: "select 2 as id")
        }
        #expect(try a.scalar(#"select id from "marts.orders""#) == .integer(2))
        #expect(try a.listRelations(schema: "marts").map(\.identifier) == ["orders"])
    }

    @Test func aLeftoverTemporaryTableIsReplaced() throws {
        let a = try Scratch().adapter
        // As a killed run would leave it.
        try a.execute(#"create table "marts.orders__opsflow_tmp" (junk)"#)
        _ = try a.replaceTable(orders, withSelect: "select 7 as id")
        #expect(try a.listRelations(schema: "marts").map(\.identifier) == ["orders"])
        #expect(try a.scalar(#"select id from "marts.orders""#) == .integer(7))
    }

    @Test func replaceTableReplacesAViewAndViceVersa() throws {
        let a = try Scratch().adapter
        _ = try a.replaceView(orders, withSelect: "select 1 as id")
        #expect(try a.getRelation(database: nil, schema: "marts", identifier: "orders")?.kind == .view)
        _ = try a.replaceTable(orders, withSelect: "select 2 as id")
        #expect(try a.getRelation(database: nil, schema: "marts", identifier: "orders")?.kind == .table)
        let outcome = try a.replaceViewReporting(orders, withSelect: "select 3 as id")
        #expect(outcome.statements == [#"DROP TABLE "marts.orders""#, #"CREATE VIEW "marts.orders" AS select 3 as id"#])
        #expect(try a.scalar(#"select id from "marts.orders""#) == .integer(3))
    }

    @Test func aViewOverAMissingTableIsRejectedAndTheOldViewKept() throws {
        let a = try Scratch().adapter
        _ = try a.replaceView(orders, withSelect: "select 1 as id")
        #expect(throws: WarehouseError.self) { try a.replaceView(orders, withSelect: "select * from missing_table") }
        #expect(throws: WarehouseError.self) { try a.replaceView(orders, withSelect: "select 1; drop view \"marts.orders\"") }
        #expect(try a.scalar(#"select id from "marts.orders""#) == .integer(1))
    }

    /// A reader on another connection sees the old table until the swap commits, never a gap.
    @Test func readersSeeTheOldTableDuringTheSwap() throws {
        let scratch = try Scratch()
        let a = scratch.adapter
        let dashboard = try scratch.reopen()
        defer { dashboard.close() }
        _ = try a.replaceTable(orders, withSelect: "select 1 as id")
        let seen = LockedBox<Cell?>(nil)
        try a.transaction {
            _ = try a.replaceTable(orders, withSelect: "select 2 as id")
            let done = DispatchSemaphore(value: 0)
            Thread {
                seen.set(try? dashboard.scalar(#"select id from "marts.orders""#))
                done.signal()
            }.start()
            #expect(done.wait(timeout: .now() + 10) == .success)
        }
        #expect(seen.get() == .integer(1))
        #expect(try dashboard.scalar(#"select id from "marts.orders""#) == .integer(2))
    }
}

@Suite struct SQLiteRowSwapTests {
    let seed = Relation(schema: "seeds", identifier: "clients")

    @Test func replaceTableWithRowsSwapsAtomically() throws {
        let a = try Scratch().adapter
        let columns = [Column(name: "code", dataType: "STRING"), Column(name: "n", dataType: "INT64")]
        let first = try a.replaceTable(seed, columns: columns, rows: [[.text("007"), .integer(1)]])
        #expect(first.response.rowsAffected == 1)
        #expect(first.statements == [
            #"DROP TABLE IF EXISTS "seeds.clients__opsflow_tmp""#,
            #"CREATE TABLE "seeds.clients__opsflow_tmp" ("code" TEXT, "n" INT64)"#,
            #"INSERT INTO "seeds.clients__opsflow_tmp" ("code", "n") VALUES (?, ?)"#,
            #"ALTER TABLE "seeds.clients__opsflow_tmp" RENAME TO "seeds.clients""#,
        ])
        try a.execute(#"create view "dev.v" as select count(*) as c from "seeds.clients""#)
        // A bad row (wrong width) changes nothing.
        #expect(throws: WarehouseError.self) {
            try a.replaceTable(seed, columns: columns, rows: [[.text("x"), .integer(1)], [.text("y")]])
        }
        #expect(try a.query(#"select * from "seeds.clients""#, limit: nil).rows == [[.text("007"), .integer(1)]])
        let second = try a.replaceTable(seed, columns: columns, rows: [[.text("a"), .integer(1)], [.text("b"), .integer(2)]])
        #expect(second.statements.contains(#"DROP TABLE "seeds.clients""#))
        #expect(try a.scalar(#"select c from "dev.v""#) == .integer(2))
        #expect(try a.listRelations(schema: "seeds").map(\.identifier) == ["clients"])
    }
}
