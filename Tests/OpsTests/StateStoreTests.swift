import Foundation
import GRDB
@testable import Ops
import Testing

/// The state database's migrations: an older file upgrades in place, and processes (or threads)
/// that open a new file at the same moment do not trip over each other.
@Suite struct StateStoreTests {
    @Test func aDatabaseWrittenBeforeRunDetailsUpgradesInPlace() throws {
        let dir = try TempDir()
        let path = dir.url.appendingPathComponent(".opsflow/state.sqlite").path
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        do {
            // What an OpsFlow without the "v2 run details" migration wrote.
            let old = try DatabaseQueue(path: path)
            try StateStore.migrator.migrate(old, upTo: "v1 scheduler")
            try old.write { db in
                try db.execute(sql: """
                    INSERT INTO runs (id, kind, job, command, started_at, ended_at, status, exit_code, attempt)
                    VALUES ('old-1', 'job', 'nightly', 'build', '2026-11-29T06:00:00.000Z', '2026-11-29T06:04:00.000Z', 'success', 0, 1);
                    INSERT INTO run_nodes (run_id, unique_id, status, execution_time) VALUES ('old-1', 'model.p.a', 'success', 1.25);
                    """)
            }
            #expect(try old.read { db in try db.columns(in: "runs").contains { $0.name == "invocation_id" } } == false)
        }
        let state = try StateStore(path: path)
        let run = try #require(try state.run(id: "old-1"))
        #expect(run.status == "success" && run.invocationID == nil)
        #expect(run.endedAt.map { $0.timeIntervalSince(run.startedAt) } == 240)
        #expect(try state.nodes(ofRun: "old-1") == [RunNodeRecord(uniqueId: "model.p.a", status: "success", executionTime: 1.25)])
        // New fields work on the upgraded file.
        try state.attachInvocation(runID: "old-1", invocationID: "inv-9", artifactsDir: "/tmp/x",
                                   nodes: [RunNodeRecord(uniqueId: "model.p.b", status: "error", message: "boom",
                                                         startedAt: Date(timeIntervalSince1970: 1_764_396_000))])
        #expect(try state.run(id: "inv-9")?.id == "old-1")
        #expect(try state.nodes(ofRun: "old-1").map(\.uniqueId) == ["model.p.b", "model.p.a"])
        #expect(throws: OpsError.self) { try state.attachInvocation(runID: "nope", invocationID: nil, artifactsDir: nil, nodes: []) }
    }

    @Test func openersRacingOnANewFileAllSucceed() throws {
        let dir = try TempDir()
        let path = dir.url.appendingPathComponent(".opsflow/state.sqlite").path
        let failures = LogLines()
        DispatchQueue.concurrentPerform(iterations: 12) { _ in
            do { _ = try StateStore(path: path) } catch { failures.append("\(error)") }
        }
        #expect(failures.all.isEmpty, "\(failures.all)")
        let state = try StateStore(path: path)
        let applied = try state.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(applied.count == 6)
    }
}
