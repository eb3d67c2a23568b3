import Foundation
@testable import Ops
import Testing

/// `opsflow schedule` as a real process running real `opsflow build` children on a tiny project:
/// SIGTERM, kill -9 and restart. The right node results come from the child's own
/// `target/run_results.json` (the Run module's artifact). Bounds are generous for a loaded machine.
@Suite(.serialized) struct SchedulerProcessTests {
    static let jobs = """
        jobs:
          nightly:
            cron: "* * * * *"
            command: build
            timeout_seconds: 600

        """

    /// Starts `opsflow schedule` with its output in `<dir>/scheduler.log`.
    static func startScheduler(_ dir: TempDir, _ extra: [String] = []) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Opsflow.binary)
        process.arguments = ["schedule", "--project-dir", dir.path, "--tick-seconds", "0.5"] + extra
        let log = dir.url.appendingPathComponent("scheduler-\(UUID().uuidString.prefix(8)).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    static func output(_ dir: TempDir) -> String {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.filter { $0.hasPrefix("scheduler-") }.sorted().compactMap {
            try? String(contentsOfFile: dir.url.appendingPathComponent($0).path, encoding: .utf8)
        }.joined(separator: "\n")
    }

    /// Waits for the process to exit (SIGKILL after `seconds`) and returns its status.
    static func wait(_ process: Process, seconds: Double) -> Int32 {
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: watchdog)
        process.waitUntilExit()
        watchdog.cancel()
        return process.terminationStatus
    }

    /// The job's run once the scheduler has recorded it as running.
    static func runningRun(_ dir: TempDir) throws -> RunRecord? {
        let path = StateStore.defaultPath(projectDir: dir.path)
        var found: RunRecord?
        _ = try eventually(within: 60) {
            guard FileManager.default.fileExists(atPath: path) else { return false }
            found = try StateStore(path: path).runningRuns(job: "nightly").first
            return found != nil
        }
        return found
    }

    @Test func sigtermLetsTheRunInFlightFinishWithItsNodes() throws {
        let dir = try TempDir()
        try Opsflow.tinyProject(in: dir, slowCount: 6_000_000, failingTest: false, jobs: Self.jobs)
        let scheduler = try Self.startScheduler(dir)
        defer { if scheduler.isRunning { kill(scheduler.processIdentifier, SIGKILL) } }
        let running = try #require(try Self.runningRun(dir), "no run started: \(Self.output(dir))")
        let signalledAt = Date()
        kill(scheduler.processIdentifier, SIGTERM)
        #expect(Self.wait(scheduler, seconds: 180) == 0, "\(Self.output(dir))")
        #expect(Self.output(dir).contains("Scheduler stopped."))
        let state = try StateStore(path: StateStore.defaultPath(projectDir: dir.path))
        let runs = try state.runs(job: "nightly")
        #expect(runs.count == 1, "a job started after SIGTERM")
        let run = try #require(runs.first)
        #expect(run.id == running.id)
        #expect(run.status == "success")
        #expect(run.exitCode == 0)
        // It was in flight when the signal came, and ran to its end.
        #expect((run.endedAt ?? .distantPast) > signalledAt)
        // Its nodes are the child's own results.
        let oracle = try Opsflow.results(ofRunResults: dir.url.appendingPathComponent("target/run_results.json").path)
        #expect(run.invocationID == oracle.invocationID)
        let nodes = try state.nodes(ofRun: run.id)
        #expect(nodes.count == 4)
        #expect(Dictionary(uniqueKeysWithValues: nodes.map { ($0.uniqueId, $0.status) }) == oracle.nodes.mapValues(\.0))
        #expect(nodes.allSatisfy { $0.startedAt != nil && $0.executionTime != nil })
        #expect(run.summary == "2 success, 2 pass")
        let copy = try #require(run.artifactsDir.map { $0 + "/run_results.json" })
        #expect(try Opsflow.results(ofRunResults: copy).invocationID == oracle.invocationID)
        // The job's lock is free again.
        #expect(JobLock.acquire(directory: dir.url.appendingPathComponent(".opsflow/locks").path, job: "nightly") != nil)
    }

    @Test func aSchedulerKilledMidRunIsRecoveredOnRestart() throws {
        let dir = try TempDir()
        try Opsflow.tinyProject(in: dir, slowCount: 8_000_000, failingTest: false, jobs: Self.jobs)
        let first = try Self.startScheduler(dir)
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }
        let running = try #require(try Self.runningRun(dir), "no run started: \(Self.output(dir))")
        kill(first.processIdentifier, SIGKILL)
        _ = Self.wait(first, seconds: 30)
        let state = try StateStore(path: StateStore.defaultPath(projectDir: dir.path))
        #expect(try state.run(id: running.id)?.status == "running")
        // Restart with the job no longer due (so the restart only recovers).
        try dir.write("opsflow.yml", Self.jobs.replacingOccurrences(of: "\"* * * * *\"", with: "\"0 0 1 1 *\""))
        let second = try Self.startScheduler(dir, ["--once"])
        defer { if second.isRunning { kill(second.processIdentifier, SIGKILL) } }
        #expect(Self.wait(second, seconds: 120) == 0, "\(Self.output(dir))")
        #expect(Self.output(dir).contains("Run \(running.id) of nightly was interrupted by a crash"))
        let recovered = try #require(try state.run(id: running.id))
        #expect(recovered.status == "interrupted")
        #expect(recovered.endedAt != nil)
        #expect(try state.runningRuns().isEmpty)
        // The dead scheduler's lock is free (the orphaned child never inherited it).
        #expect(JobLock.acquire(directory: dir.url.appendingPathComponent(".opsflow/locks").path, job: "nightly") != nil)
        // The orphaned child still finishes and adds its nodes; the run stays interrupted.
        #expect(try eventually(within: 120) { try state.nodes(ofRun: running.id).count == 4 })
        #expect(try state.nodes(ofRun: running.id).first { $0.uniqueId == "model.tiny.slow" }?.status == "success")
        #expect(try state.run(id: running.id)?.status == "interrupted")
    }
}
