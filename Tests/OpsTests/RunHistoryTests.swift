import Foundation
@testable import Ops
import Testing

/// Interactive builds record themselves in the state database (through the real binary), and a
/// state database that cannot be written never changes a build's outcome. The right node results
/// come from the build's own `target/run_results.json`.
@Suite(.serialized) struct RunHistoryTests {
    @Test func anInteractiveBuildRecordsItsNodesUnderItsInvocationID() throws {
        let dir = try TempDir()
        try Opsflow.tinyProject(in: dir, slowCount: 1_000)
        let build = try Opsflow.run(["build", "--project-dir", dir.path, "--select", "quick", "slow"])
        #expect(build.status == 1, "\(build.stdout)\(build.stderr)")   // the NULL name fails its test
        #expect(!build.stderr.contains("Warning"), "\(build.stderr)")
        let oracle = try Opsflow.results(ofRunResults: dir.url.appendingPathComponent("target/run_results.json").path)
        let state = try StateStore(path: StateStore.defaultPath(projectDir: dir.path))
        let run = try #require(try state.run(id: oracle.invocationID))
        #expect(run.id == oracle.invocationID)
        #expect(run.kind == "build")
        #expect(run.command == "build --select quick slow")
        #expect(run.status == "error")
        #expect(run.exitCode == 1)
        #expect(run.summary == "2 success, 2 pass, 1 fail")
        let nodes = try state.nodes(ofRun: run.id)
        #expect(nodes.count == oracle.nodes.count)
        for node in nodes {
            #expect(oracle.nodes[node.uniqueId]?.0 == node.status, "\(node.uniqueId)")
            #expect(oracle.nodes[node.uniqueId]?.1 == node.failures, "\(node.uniqueId)")
            #expect(node.startedAt != nil && node.completedAt != nil)
        }
        #expect(nodes.first { $0.uniqueId.hasPrefix("test.tiny.not_null_quick_name") }?.failures == 1)
        // A copy of run_results.json outlives `opsflow clean`.
        let copy = try #require(run.artifactsDir).appending("/run_results.json")
        #expect(FileManager.default.contents(atPath: copy) == FileManager.default.contents(atPath: dir.url.appendingPathComponent("target/run_results.json").path))

        // `opsflow runs <prefix>` shows every node with its status.
        let shown = try Opsflow.run(["runs", String(run.id.prefix(8)), "--project-dir", dir.path])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("Run \(run.id) (build, attempt 1): build --select quick slow"))
        for (id, result) in oracle.nodes {
            #expect(shown.stdout.split(separator: "\n").contains { $0.hasPrefix(result.0) && $0.contains(id) }, "\(id)")
        }
        let unknown = try Opsflow.run(["runs", "ffffffff-none", "--project-dir", dir.path])
        #expect(unknown.status == 1)
        let listed = try Opsflow.run(["runs", "--project-dir", dir.path])
        #expect(listed.stdout.contains("error        build  build --select quick slow — 2 success, 2 pass, 1 fail"))
    }

    @Test func aLockedStateDatabaseCostsAWarningNotTheBuild() throws {
        let dir = try TempDir()
        try Opsflow.tinyProject(in: dir, slowCount: 1_000, failingTest: false)
        #expect(try Opsflow.run(["seed", "--project-dir", dir.path]).status == 0)   // creates the state database
        let statePath = StateStore.defaultPath(projectDir: dir.path)
        // Another process holds the write lock (an independent SQLite client).
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", """
            import sqlite3, sys, time
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute('BEGIN EXCLUSIVE')
            print('locked', flush=True)
            time.sleep(60)
            """, statePath]
        let pipe = Pipe()
        holder.standardOutput = pipe
        try holder.run()
        defer { kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit() }
        #expect(String(decoding: pipe.fileHandleForReading.availableData, as: UTF8.self).hasPrefix("locked"))
        let build = try Opsflow.run(["build", "--project-dir", dir.path])
        #expect(build.status == 0, "\(build.stdout)\(build.stderr)")
        #expect(build.stderr.contains("Warning: run history not recorded"), "\(build.stderr)")
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        let oracle = try Opsflow.results(ofRunResults: dir.url.appendingPathComponent("target/run_results.json").path)
        let state = try StateStore(path: statePath)
        #expect(try state.run(id: oracle.invocationID) == nil)
        #expect(try state.runs().map(\.command) == ["seed"])

        // A state folder that cannot exist (a file in its place): still only a warning.
        try FileManager.default.removeItem(atPath: dir.url.appendingPathComponent(".opsflow").path)
        try dir.write(".opsflow", "not a folder")
        let again = try Opsflow.run(["build", "--project-dir", dir.path])
        #expect(again.status == 0)
        #expect(again.stderr.contains("Warning:"), "\(again.stderr)")
    }

    @Test func runResultsTimestampsKeepMilliseconds() throws {
        // dbt writes microseconds (docs.getdbt.com/reference/artifacts/run-results-json); Foundation
        // reads milliseconds: 05:31:02.123456Z is 1_764_480_662.123 s after the epoch.
        let json = #"{"metadata":{"invocation_id":"i-1","invocation_started_at":"2025-11-30T05:31:02.123456Z"},"results":[{"unique_id":"model.p.a","status":"success","execution_time":1.5,"timing":[{"name":"execute","started_at":"2025-11-30T05:31:02.5Z","completed_at":"2025-11-30T05:31:04.000001Z"}]}]}"#
        let summary = try RunResultsSummary.parse(Data(json.utf8))
        #expect(summary.invocationID == "i-1")
        #expect(abs((summary.invocationStartedAt?.timeIntervalSince1970 ?? 0) - 1_764_480_662.123) < 0.0005)
        #expect(summary.nodes.first?.startedAt?.timeIntervalSince1970 == 1_764_480_662.5)
        #expect(summary.nodes.first?.completedAt?.timeIntervalSince1970 == 1_764_480_664.0)
        #expect(throws: OpsError.self) { try RunResultsSummary.parse(Data("{}".utf8)) }
    }
}
