import Foundation
import Testing

/// `kill -9` in the middle of a table build: the previous table stays readable and the database
/// file passes `PRAGMA integrity_check` (read by Python's sqlite3, an independent reader).
@Suite struct KillTests {
    @Test func killNineDuringATableBuildKeepsThePreviousTable() throws {
        let project = try FixtureProject()
        // A table whose size is a var: 10 rows first, then tens of millions (many seconds of work).
        try project.write("models/marts/big.sql", """
            {{ config(materialized='table') }}
            with recursive n(i) as (
              select 1 union all select i + 1 from n where i < {{ var('rows', 10) }}
            )
            select i, i * 2 as doubled from n
            """)
        #expect(try project.opsflow("run", "-s", "big").exitCode == 0)
        #expect(try project.query("select count(*), sum(doubled) from \"dev_marts.big\"") == ["10|110"])

        let binary = try #require(CLI.binary)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["run", "-s", "big", "--project-dir", project.path, "--vars", "{rows: 100000000}"]
        let log = project.root.appendingPathComponent("kill.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        // Wait for the build to start, then let it write for a moment.
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, !((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("START sql table model dev_marts.big") {
            usleep(10_000)
        }
        usleep(700_000)
        let stillRunning = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try handle.close()
        #expect(stillRunning, "the build finished before it could be killed")
        #expect(process.terminationReason == .uncaughtSignal)

        #expect(try project.query("pragma integrity_check") == ["ok"])
        #expect(try project.query("select count(*), sum(doubled) from \"dev_marts.big\"") == ["10|110"])
        // The next run cleans up and succeeds.
        let again = try project.opsflow("run", "-s", "big", "--vars", "{rows: 20}")
        #expect(again.exitCode == 0, "\(again.all)")
        #expect(try project.query("select count(*) from \"dev_marts.big\"") == ["20"])
        #expect(try project.query("select name from sqlite_master where name like '%tmp%'") == [])
    }
}
