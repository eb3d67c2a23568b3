#if os(Linux)
import Foundation
import Glibc
import Testing
import Warehouse
import WarehouseSQLite

/// `kill -9` in the middle of a table build leaves the previous table intact and the file
/// readable. The build runs in a real child process — this test binary, re-run on the child
/// test below — which is killed with SIGKILL while it writes the new table.
@Suite struct SQLiteKillTests {
    static let childDatabase = ProcessInfo.processInfo.environment["OPSFLOW_KILL_CHILD_DB"]
    static let orders = Relation(schema: "marts", identifier: "orders")

    @Test func killedTableBuildLeavesThePreviousTable() throws {
        let scratch = try Scratch()
        let a = scratch.adapter
        _ = try a.replaceTable(Self.orders, withSelect: "select 1 as id union all select 2 union all select 3")
        _ = try a.replaceView(Relation(schema: "marts", identifier: "orders_count"), withSelect: #"select count(*) as n from "marts.orders""#)
        a.close()

        let started = scratch.folder.appendingPathComponent("child-started")
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        child.arguments = ["--testing-library", "swift-testing", "--filter", "SQLiteKillChild"]
        var environment = ProcessInfo.processInfo.environment
        environment["OPSFLOW_KILL_CHILD_DB"] = scratch.path
        child.environment = environment
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()

        // Wait until the child is writing the new table: its WAL grows past 4 MiB.
        let wal = scratch.path + "-wal"
        let deadline = Date().addingTimeInterval(60)
        var walSize = 0
        while Date() < deadline, child.isRunning {
            walSize = (try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
            if FileManager.default.fileExists(atPath: started.path), walSize > 4 << 20 { break }
            usleep(20_000)
        }
        #expect(child.isRunning, "the child finished or failed before it could be killed")
        #expect(walSize > 4 << 20)
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal)

        let after = try scratch.reopen()
        defer { after.close() }
        #expect(try after.scalar("PRAGMA integrity_check") == .text("ok"))
        #expect(try after.query(#"select id from "marts.orders" order by id"#, limit: nil).rows == [[.integer(1)], [.integer(2)], [.integer(3)]])
        #expect(try after.scalar(#"select n from "marts.orders_count""#) == .integer(3))
        #expect(try after.listRelations(schema: "marts").map(\.identifier) == ["orders", "orders_count"])
        // And the next build works.
        _ = try after.replaceTable(Self.orders, withSelect: "select 9 as id")
        #expect(try after.scalar(#"select n from "marts.orders_count""#) == .integer(1))
    }
}

/// The child side of ``SQLiteKillTests``: runs only when the parent sets `OPSFLOW_KILL_CHILD_DB`.
@Suite(.enabled(if: SQLiteKillTests.childDatabase != nil))
struct SQLiteKillChild {
    @Test func buildAHugeTable() throws {
        guard let path = SQLiteKillTests.childDatabase else { return }
        let a = try SQLiteAdapter(path: path, schema: nil)
        let marker = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("child-started")
        FileManager.default.createFile(atPath: marker.path, contents: Data())
        // Minutes of work; the parent kills it after a few megabytes.
        _ = try a.replaceTable(SQLiteKillTests.orders, withSelect: """
            with recursive n(i) as (select 1 union all select i + 1 from n where i < 200000000)
            select i as id, printf('%040d', i) as padding from n
            """)
    }
}
#endif
