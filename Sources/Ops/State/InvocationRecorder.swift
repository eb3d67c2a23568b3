import Foundation
import Project

/// The parts of a `run_results.json` (dbt schema v6) that run history keeps.
public struct RunResultsSummary: Sendable, Hashable {
    /// `metadata.invocation_id`.
    public var invocationID: String?
    /// `metadata.invocation_started_at`.
    public var invocationStartedAt: Date?
    public var nodes: [RunNodeRecord]

    public init(invocationID: String? = nil, invocationStartedAt: Date? = nil, nodes: [RunNodeRecord]) {
        self.invocationID = invocationID
        self.invocationStartedAt = invocationStartedAt
        self.nodes = nodes
    }

    /// Counts by status in a stable order, e.g. `"11 success, 30 pass, 1 warn"`.
    public var counts: String {
        let order = ["success", "pass", "warn", "fail", "error", "runtime error", "skipped"]
        let tally = nodes.reduce(into: [String: Int]()) { $0[$1.status, default: 0] += 1 }
        return tally.keys.sorted { (order.firstIndex(of: $0) ?? 99, $0) < (order.firstIndex(of: $1) ?? 99, $1) }
            .map { "\(tally[$0] ?? 0) \($0)" }.joined(separator: ", ")
    }

    /// Parses a `run_results.json` document
    /// (https://docs.getdbt.com/reference/artifacts/run-results-json).
    /// - Throws: ``OpsError`` `.io` when it is not JSON with a `results` array.
    public static func parse(_ data: Data, file: String = "run_results.json") throws -> RunResultsSummary {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let results = object["results"] as? [[String: Any]] else {
            throw OpsError(.io, "not a run_results.json document (no `results` array)", file: file)
        }
        let metadata = object["metadata"] as? [String: Any] ?? [:]
        let nodes = results.compactMap { result -> RunNodeRecord? in
            guard let id = result["unique_id"] as? String, let status = result["status"] as? String else { return nil }
            let timing = result["timing"] as? [[String: Any]] ?? []
            let execute = timing.first { $0["name"] as? String == "execute" } ?? timing.last
            return RunNodeRecord(uniqueId: id, status: status, message: result["message"] as? String,
                                 failures: (result["failures"] as? NSNumber)?.intValue,
                                 executionTime: (result["execution_time"] as? NSNumber)?.doubleValue,
                                 startedAt: (execute?["started_at"] as? String).flatMap(artifactDate),
                                 completedAt: (execute?["completed_at"] as? String).flatMap(artifactDate))
        }
        return RunResultsSummary(invocationID: metadata["invocation_id"] as? String,
                                 invocationStartedAt: (metadata["invocation_started_at"] as? String).flatMap(artifactDate),
                                 nodes: nodes)
    }

    /// dbt's artifact timestamps, `2026-11-30T05:31:02.123456Z` (fraction optional): Foundation
    /// reads at most milliseconds, so the fraction is cut to three digits.
    static func artifactDate(_ text: String) -> Date? {
        var text = text
        if let dot = text.firstIndex(of: "."), let end = text[dot...].firstIndex(where: { $0 == "Z" || $0 == "+" || $0 == "-" }) {
            let fraction = text[text.index(after: dot)..<end].prefix(3)
            text = String(text[..<dot]) + "." + fraction.padding(toLength: 3, withPad: "0", startingAt: 0) + String(text[end...])
        }
        return StateStore.date(text)
    }
}

/// Records an invocation that ran nodes (`build`, `run`, `test`, `seed`) in the state database
/// when it ends: one transaction with the run and every node's result, and a copy of its
/// `run_results.json` under `<project>/.opsflow/runs/<run id>/`.
///
/// Two callers: an interactive `opsflow build` records a new run of kind `build` whose id is the
/// invocation id (so the dashboard, which also reads `target/run_results.json`, shows it once);
/// a job's child process started by the scheduler finds the scheduler's run id in
/// ``runIDVariable`` and adds its nodes to that run. The child, not the scheduler, records the
/// nodes because only it knows which results are its own: `target/run_results.json` is shared by
/// every invocation in the project (an interactive build can overwrite it between the child's
/// exit and the scheduler reading it; a job that runs no nodes, such as `sync`, leaves an older
/// file behind).
///
/// Recording never fails the build: every problem (a locked or unwritable state database, a
/// missing file) comes back as a warning text for the caller to print.
public enum InvocationRecorder {
    /// The environment variable through which the scheduler passes its run id to a job's process.
    public static let runIDVariable = "OPSFLOW_RUN_ID"
    /// Copies of `run_results.json` kept under `.opsflow/runs/`; older ones are removed.
    public static let keptArtifacts = 200

    /// Records the invocation that started at `startedAt` and just ended with `exitCode`.
    /// - Parameters:
    ///   - projectDir: the project folder (its `target-path` locates `run_results.json`).
    ///   - command: the command line without the program name, e.g. `build --select tag:daily`.
    ///   - target: the profile target's name, when known.
    ///   - startedAt: when the invocation started; a `run_results.json` older than this is not its own.
    ///   - exitCode: dbt's exit code (0 success, 1 a node failed, 2 the invocation failed).
    ///   - environment: read for ``runIDVariable``.
    ///   - busyTimeoutSeconds: how long to wait for a state database locked by another process.
    /// - Returns: the recorded run's id and a warning (nil when all went well); the id is nil when
    ///   nothing could be recorded.
    @discardableResult
    public static func record(projectDir: String, command: String, target: String? = nil, startedAt: Date, endedAt: Date = Date(),
                              exitCode: Int32, environment: [String: String] = ProcessInfo.processInfo.environment,
                              busyTimeoutSeconds: Double = 2) -> (runID: String?, warning: String?) {
        let root = URL(fileURLWithPath: projectDir).standardizedFileURL.path
        let targetPath = (try? DbtProject.load(projectDir: root))?.targetPath ?? "target"
        let resultsFile = URL(fileURLWithPath: targetPath, relativeTo: URL(fileURLWithPath: root + "/"))
            .appendingPathComponent("run_results.json").standardizedFileURL.path
        var warnings: [String] = []
        // Our own file only: one written at or after our start (1 s of slack for clock rounding).
        var summary: RunResultsSummary?
        if let data = FileManager.default.contents(atPath: resultsFile) {
            do {
                let parsed = try RunResultsSummary.parse(data, file: resultsFile)
                if let began = parsed.invocationStartedAt, began >= startedAt.addingTimeInterval(-1) { summary = parsed }
            } catch { warnings.append("\(error)") }
        }
        let scheduledRun = environment[runIDVariable].flatMap { $0.isEmpty ? nil : $0 }
        let runID = scheduledRun ?? summary?.invocationID ?? UUID().uuidString.lowercased()
        let statePath = StateStore.defaultPath(projectDir: root)
        var artifactsDir: String?
        if summary != nil {
            let dir = URL(fileURLWithPath: statePath).deletingLastPathComponent().appendingPathComponent("runs/\(runID)")
            do {
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                let copy = dir.appendingPathComponent("run_results.json")
                try? FileManager.default.removeItem(at: copy)
                try FileManager.default.copyItem(atPath: resultsFile, toPath: copy.path)
                artifactsDir = dir.path
                prune(dir.deletingLastPathComponent())
            } catch {
                warnings.append("cannot keep a copy of run_results.json: \(error.localizedDescription)")
            }
        }
        do {
            let state = try StateStore(path: statePath, busyTimeoutSeconds: busyTimeoutSeconds)
            let nodes = summary?.nodes ?? []
            if let scheduledRun {
                try state.attachInvocation(runID: scheduledRun, invocationID: summary?.invocationID, artifactsDir: artifactsDir, nodes: nodes)
            } else {
                var run = RunRecord(id: runID, kind: "build", command: command, target: target, startedAt: startedAt,
                                    status: exitCode == 0 ? "success" : "error")
                run.endedAt = endedAt
                run.exitCode = exitCode
                run.summary = summary.map(\.counts) ?? (exitCode == 2 ? "the invocation failed before running nodes" : nil)
                run.artifactsDir = artifactsDir
                run.invocationID = summary?.invocationID
                try state.recordRun(run, nodes: nodes)
            }
        } catch {
            warnings.append("run history not recorded in \(statePath): \(error)")
            return (nil, warnings.joined(separator: "; "))
        }
        return (runID, warnings.isEmpty ? nil : warnings.joined(separator: "; "))
    }

    /// Keeps the newest ``keptArtifacts`` run folders (by modification time).
    static func prune(_ runsDir: URL) {
        let fm = FileManager.default
        guard let entries = try? fm.contentsOfDirectory(at: runsDir, includingPropertiesForKeys: [.contentModificationDateKey]),
              entries.count > keptArtifacts else { return }
        let dated = entries.map { ($0, (try? $0.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate) ?? .distantPast) }
        for (url, _) in dated.sorted(by: { $0.1 > $1.1 }).dropFirst(keptArtifacts) { try? fm.removeItem(at: url) }
    }
}
