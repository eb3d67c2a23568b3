import Foundation
import Warehouse

/// The bodies of ``ConformanceCase``. SQL here is portable (SQLite and PostgreSQL); expected
/// values are those of the literals selected.
enum ConformanceChecks {
    static let twoRows = "select 1 as id, 'a' as name union all select 2 as id, 'b' as name"
    static let threeRows = twoRows + " union all select 3 as id, 'c' as name"

    static func ids(_ rows: [[Cell]]) -> [Int64?] { rows.map { $0.first?.integerValue } }

    static func createTable(_ c: ConformanceContext) throws {
        let built = try c.adapter.replaceTable(c.relation("orders"), withSelect: twoRows)
        try c.expect(!built.executedSQL.isEmpty, "replaceTable reported no statements")
        let rows = try c.rows("orders", "id, name")
        try c.expect(ids(rows) == [1, 2], "orders has ids \(ids(rows)), expected [1, 2]")
        try c.expect(rows.map { $0[1].textValue } == ["a", "b"], "orders has names \(rows.map { $0[1] })")
        try c.expect(try c.adapter.getRelation(database: c.database, schema: c.schema, identifier: "orders")?.kind == .table,
                     "orders is not reported as a table")
    }

    static func replaceTableSwapsAtomically(_ c: ConformanceContext) throws {
        try c.adapter.replaceTable(c.relation("orders"), withSelect: twoRows)
        try c.adapter.replaceTable(c.relation("orders"), withSelect: threeRows)
        try c.expect(ids(try c.rows("orders")) == [1, 2, 3], "the replaced table does not hold the new rows")
        try c.expect(try c.names() == ["orders"], "leftover relations after the swap: \(try c.names())")
    }

    static func replaceTableWithDependentView(_ c: ConformanceContext) throws {
        try c.adapter.replaceTable(c.relation("orders"), withSelect: twoRows)
        try c.adapter.replaceView(c.relation("orders_v"), withSelect: "select id, name from \(c.rendered("orders"))")
        try c.adapter.replaceTable(c.relation("orders"), withSelect: threeRows)
        try c.expect(ids(try c.rows("orders")) == [1, 2, 3], "orders was not replaced")
        let view = try c.adapter.getRelation(database: c.database, schema: c.schema, identifier: "orders_v")
        if c.viewsSurvive {
            try c.expect(view?.kind == .view, "the dependent view disappeared")
            try c.expect(ids(try c.rows("orders_v")) == [1, 2, 3], "the dependent view does not read the new table")
        } else {
            try c.expect(view == nil, "the dependent view survived a table that drops it (it would read the old rows)")
        }
        // A second replacement (the usual daily run) works the same.
        try c.adapter.replaceTable(c.relation("orders"), withSelect: twoRows)
        try c.expect(ids(try c.rows("orders")) == [1, 2], "the second replacement did not take")
        try c.expect(try c.names() == (c.viewsSurvive ? ["orders", "orders_v"] : ["orders"]), "relations: \(try c.names())")
    }

    static func failingTableBuildKeepsOldTable(_ c: ConformanceContext) throws {
        try c.adapter.replaceTable(c.relation("orders"), withSelect: twoRows)
        try c.expectThrows("a build from a missing table") {
            try c.adapter.replaceTable(c.relation("orders"), withSelect: "select id from \(c.rendered("no_such_table"))")
        }
        try c.expect(ids(try c.rows("orders")) == [1, 2], "the old table was damaged by a failed build")
        try c.expect(try c.names() == ["orders"], "leftover relations after a failed build: \(try c.names())")
    }

    static func replaceView(_ c: ConformanceContext) throws {
        try c.adapter.replaceTable(c.relation("orders"), withSelect: threeRows)
        try c.adapter.replaceView(c.relation("big"), withSelect: "select id from \(c.rendered("orders")) where id > 1")
        try c.expect(ids(try c.rows("big")) == [2, 3], "the view returns \(ids(try c.rows("big")))")
        try c.adapter.replaceView(c.relation("big"), withSelect: "select id from \(c.rendered("orders")) where id > 2")
        try c.expect(ids(try c.rows("big")) == [3], "the replaced view returns \(ids(try c.rows("big")))")
        try c.expect(try c.adapter.getRelation(database: c.database, schema: c.schema, identifier: "big")?.kind == .view,
                     "big is not reported as a view")
        try c.expect(try c.names() == ["big", "orders"], "relations: \(try c.names())")
    }

    static func failingViewBuildKeepsOldView(_ c: ConformanceContext) throws {
        try c.adapter.replaceTable(c.relation("orders"), withSelect: twoRows)
        try c.adapter.replaceView(c.relation("v"), withSelect: "select id from \(c.rendered("orders"))")
        try c.expectThrows("a view over a missing table") {
            try c.adapter.replaceView(c.relation("v"), withSelect: "select id from \(c.rendered("no_such_table"))")
        }
        try c.expect(ids(try c.rows("v")) == [1, 2], "the old view was damaged by a failed build")
        try c.expect(try c.names() == ["orders", "v"], "relations after a failed view build: \(try c.names())")
    }

    static func tableAndViewReplaceEachOther(_ c: ConformanceContext) throws {
        try c.adapter.replaceTable(c.relation("orders"), withSelect: threeRows)
        try c.adapter.replaceTable(c.relation("x"), withSelect: twoRows)
        try c.adapter.replaceView(c.relation("x"), withSelect: "select id from \(c.rendered("orders"))")
        try c.expect(try c.adapter.getRelation(database: c.database, schema: c.schema, identifier: "x")?.kind == .view, "x did not become a view")
        try c.expect(ids(try c.rows("x")) == [1, 2, 3], "the view x returns \(ids(try c.rows("x")))")
        try c.adapter.replaceTable(c.relation("x"), withSelect: "select 9 as id")
        try c.expect(try c.adapter.getRelation(database: c.database, schema: c.schema, identifier: "x")?.kind == .table, "x did not become a table")
        try c.expect(ids(try c.rows("x")) == [9], "the table x returns \(ids(try c.rows("x")))")
        try c.expect(try c.names() == ["orders", "x"], "relations: \(try c.names())")
    }

    static func makeCounter(_ c: ConformanceContext) throws -> Relation {
        let table = c.relation("counter")
        try c.adapter.createTable(table, columns: [Column(name: "id", dataType: "INT64")])
        return table
    }

    static func transactionCommits(_ c: ConformanceContext) throws {
        let table = try makeCounter(c)
        let value = try c.adapter.transaction { () throws -> Int in
            try c.adapter.execute("insert into \(c.rendered("counter")) (id) values (1)")
            return try c.adapter.insert(into: table, columns: ["id"], rows: [[.integer(2)], [.integer(3)]])
        }
        try c.expect(value == 2, "insert reported \(value) rows, expected 2")
        try c.expect(ids(try c.rows("counter")) == [1, 2, 3], "committed rows: \(ids(try c.rows("counter")))")
    }

    static func transactionRollsBack(_ c: ConformanceContext) throws {
        let table = try makeCounter(c)
        let error = try c.expectThrows("a throwing transaction body") {
            try c.adapter.transaction {
                _ = try c.adapter.insert(into: table, columns: ["id"], rows: [[.integer(1)]])
                try c.adapter.execute("insert into \(c.rendered("counter")) (id) values (2)")
                throw ConformanceFailure("boom")
            }
        }
        try c.expect((error as? ConformanceFailure)?.description == "boom", "the body's error was not passed on: \(error)")
        try c.expect(try c.rows("counter").isEmpty, "a rolled-back transaction left rows")
        // A failing statement rolls back the statements before it, too.
        try c.expectThrows("a transaction with a failing statement") {
            try c.adapter.transaction {
                try c.adapter.execute("insert into \(c.rendered("counter")) (id) values (5)")
                try c.adapter.execute("insert into \(c.rendered("no_such_table")) (id) values (6)")
            }
        }
        try c.expect(try c.rows("counter").isEmpty, "the statement before the failing one was kept")
    }

    static func nestedTransactionIsSavepoint(_ c: ConformanceContext) throws {
        _ = try makeCounter(c)
        let insert = { (id: Int) in try c.adapter.execute("insert into \(c.rendered("counter")) (id) values (\(id))") }
        try c.adapter.transaction {
            try insert(1)
            do {
                try c.adapter.transaction {
                    try insert(2)
                    throw ConformanceFailure("inner")
                }
            } catch is ConformanceFailure {}
            try c.adapter.transaction { try insert(3) }
        }
        try c.expect(ids(try c.rows("counter")) == [1, 3], "after a rolled-back savepoint: \(ids(try c.rows("counter"))), expected [1, 3]")
    }

    static func uncommittedWorkIsInvisibleToOtherThreads(_ c: ConformanceContext) throws {
        let table = try makeCounter(c)
        _ = try c.adapter.insert(into: table, columns: ["id"], rows: [[.integer(1)]])
        let seen = Box<Result<Int, any Error>>(.success(-1))
        let sql = "select id from \(c.rendered("counter"))"
        let adapter = c.adapter
        try c.adapter.transaction {
            _ = try c.adapter.insert(into: table, columns: ["id"], rows: [[.integer(2)]])
            let done = DispatchSemaphore(value: 0)
            let reader = Thread {
                seen.value = Result { try adapter.query(sql, limit: nil).rows.count }
                done.signal()
            }
            reader.start()
            if done.wait(timeout: .now() + 20) == .timedOut {
                throw ConformanceFailure("a reader on another thread waited for the open transaction")
            }
        }
        try c.expect(try seen.value.get() == 1, "another thread saw \(try seen.value.get()) rows of an uncommitted transaction, expected 1")
        try c.expect(ids(try c.rows("counter")) == [1, 2], "after commit: \(ids(try c.rows("counter")))")
    }

    static func swapInsideTransactionRollsBack(_ c: ConformanceContext) throws {
        try c.adapter.replaceTable(c.relation("orders"), withSelect: twoRows)
        try c.expectThrows("a transaction around a swap that throws") {
            try c.adapter.transaction {
                try c.adapter.replaceTable(c.relation("orders"), withSelect: "select 7 as id, 'z' as name")
                throw ConformanceFailure("after the swap")
            }
        }
        try c.expect(ids(try c.rows("orders")) == [1, 2], "a rolled-back swap changed the table")
        try c.expect(try c.names() == ["orders"], "relations: \(try c.names())")
    }
}

/// A value shared with a reader thread (the checks wait for that thread before reading it).
final class Box<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}
