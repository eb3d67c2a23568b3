import Foundation
import Ops
import Run
import Web

/// Records a verb that ran nodes in the project's state database (``InvocationRecorder``): one
/// transaction at the end. A locked or unwritable state database costs a warning on standard
/// error, never the build's exit code.
func recordInvocation(_ command: InvocationCommand, _ options: InvocationOptions, startedAt: Date, exitCode: Int32) {
    guard [.run, .test, .seed, .build].contains(command), !options.dryRun else { return }
    // The verb and its selection, not the whole command line: `--vars` may carry values that do
    // not belong in a history others read.
    var words = [command.rawValue]
    if !options.select.isEmpty { words += ["--select"] + options.select }
    if !options.exclude.isEmpty { words += ["--exclude"] + options.exclude }
    if let selector = options.selector { words += ["--selector", selector] }
    if options.fullRefresh { words.append("--full-refresh") }
    let projectDir = options.projectDir ?? FileManager.default.currentDirectoryPath
    let outcome = InvocationRecorder.record(projectDir: projectDir, command: words.joined(separator: " "), target: options.target,
                                            startedAt: startedAt, exitCode: exitCode)
    if let warning = outcome.warning {
        FileHandle.standardError.write(Data("Warning: \(warning)\n".utf8))
    }
}

/// The dashboard's run history: every run of the state database that ran nodes (interactive
/// builds, scheduled jobs) merged with `target/run_results.json`. The Web module does not import
/// Ops (data flows one way), so the bridge lives here.
///
/// A build recorded in both places shows once: the file's run is dropped when a state run has its
/// invocation id (interactive builds use it as their run id; a scheduled job's child records it),
/// and its compiled SQL is kept on the state run's nodes.
struct StateDatabaseRunHistory: RunHistorySource {
    var statePath: String
    var file: RunResultsFileHistory
    /// Runs read from the state database at most (newest first): every page that lists runs
    /// reads their nodes, so the dashboard shows the recent history; `opsflow runs` has it all.
    var limit = 50

    func runs() throws -> [Web.RunRecord] {
        let fileRuns = try file.runs()
        var merged: [Web.RunRecord] = []
        var matched = Set<String>()
        try withState { state in
            for run in try state.runs(limit: limit) where run.kind == "build" || run.kind == "job" {
                let twin = fileRuns.first { $0.id == run.id || $0.id == run.invocationID }
                if let twin { matched.insert(twin.id) }
                merged.append(Self.webRecord(run, nodes: try state.nodes(ofRun: run.id), details: twin))
            }
        }
        merged += fileRuns.filter { !matched.contains($0.id) }
        return merged.sorted { ($0.startedAt ?? .distantPast) > ($1.startedAt ?? .distantPast) }
    }

    func run(id: String) throws -> Web.RunRecord? {
        var found: Web.RunRecord?
        try withState { state in
            guard let run = try state.run(id: id), run.kind == "build" || run.kind == "job" else { return }
            let details = run.artifactsDir.flatMap { dir in
                FileManager.default.contents(atPath: URL(fileURLWithPath: dir).appendingPathComponent("run_results.json").path)
            }.flatMap { try? RunResultsFileHistory.parse($0) }
            found = Self.webRecord(run, nodes: try state.nodes(ofRun: run.id), details: details)
        }
        if let found { return found }
        return try file.runs().first { $0.id == id }
    }

    /// Reads the state database when there is one (a project that never recorded a run has none).
    func withState(_ body: (StateStore) throws -> Void) throws {
        guard FileManager.default.fileExists(atPath: statePath) else { return }
        do {
            try body(try StateStore(path: statePath, busyTimeoutSeconds: 2))
        } catch {
            throw WebError.io("cannot read the run history in \(statePath): \(error)")
        }
    }

    /// A state run as the dashboard shows it. Statuses and timings come from the state database;
    /// compiled SQL (the run page runs a failing test's query to show its rows) from the same
    /// build's `run_results.json`, when `details` is given.
    static func webRecord(_ run: Ops.RunRecord, nodes: [RunNodeRecord], details: Web.RunRecord?) -> Web.RunRecord {
        let compiled = Dictionary((details?.results ?? []).map { ($0.uniqueID, $0) }, uniquingKeysWith: { first, _ in first })
        let results = nodes.map { node in
            NodeRunRecord(uniqueID: node.uniqueId, status: node.status, executionTime: node.executionTime ?? 0,
                          startedAt: node.startedAt, completedAt: node.completedAt, message: node.message, failures: node.failures,
                          compiledCode: compiled[node.uniqueId]?.compiledCode, relationName: compiled[node.uniqueId]?.relationName)
        }
        let command = run.job.map { "\($0): \(run.command)" } ?? run.command
        return Web.RunRecord(id: run.id, command: command, startedAt: run.startedAt, generatedAt: run.endedAt,
                             elapsedTime: run.endedAt.map { $0.timeIntervalSince(run.startedAt) } ?? 0, results: results,
                             status: run.status, source: run.kind == "job" ? "scheduler" : "state database")
    }
}
