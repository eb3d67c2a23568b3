import Foundation
import HTTPClient
import Run
import Warehouse

/// The Ops verbs as the CLI calls them: each opens the project, does its work, prints, and returns
/// the exit code (0 success, 1 the work found failures, 2 the invocation failed), dbt's convention.
public enum OpsCommands {
    /// Writes one line to standard output at once (lines stay in order with other output).
    static func say(_ text: String, to handle: FileHandle = .standardOutput) {
        handle.write(Data((text + "\n").utf8))
    }

    static func fail(_ error: Error, redactor: Redactor = Redactor()) -> Int32 {
        say(redactor.redact("Error: \(error)"), to: .standardError)
        return 2
    }

    /// `opsflow load`.
    public static func load(options: InvocationOptions, adapters: [AdapterFactory], source: String, files: [String],
                            loadOptions: LoadOptions) -> Int32 {
        do {
            let workspace = try OpsWorkspace(options: options, adapters: adapters)
            defer { workspace.close() }
            let contract = try SourceContract(source: try workspace.source(source))
            let loader = SourceLoader(adapter: workspace.adapter, state: workspace.state, targetName: workspace.target.name,
                                      log: { say($0) })
            let run = RunRecord(kind: "load", job: source, command: "load \(source) " + files.map { ($0 as NSString).lastPathComponent }.joined(separator: " "),
                                target: workspace.target.name, startedAt: Date())
            try workspace.state.startRun(run)
            let results: [FileLoadResult]
            do {
                results = try loader.load(contract, files: files, options: loadOptions)
            } catch {
                try? workspace.state.finishRun(id: run.id, endedAt: Date(), status: "error", exitCode: 2, summary: String(describing: error))
                throw error
            }
            let loaded = results.reduce(0) { $0 + $1.loadedRows }
            let quarantined = results.reduce(0) { $0 + $1.quarantinedRows }
            let skipped = results.filter { $0.status == .alreadyLoaded }.count
            let summary = "FILES=\(results.count) LOADED_ROWS=\(loaded) QUARANTINED_ROWS=\(quarantined) ALREADY_LOADED_FILES=\(skipped)"
            try workspace.state.finishRun(id: run.id, endedAt: Date(), status: "success", exitCode: 0, summary: summary)
            say("Done. " + summary)
            return 0
        } catch {
            return fail(error)
        }
    }
}

extension OpsCommands {
    /// `opsflow sync [name] [--dry-run]`: exit 1 when a batch failed (it waits in the outbox).
    public static func sync(options: InvocationOptions, adapters: [AdapterFactory], name: String?, dryRun: Bool,
                            transport: any HTTPTransport = URLSessionTransport(), clock: any OpsClock = SystemClock()) -> Int32 {
        var redactor = Redactor()
        do {
            let workspace = try OpsWorkspace(options: options, adapters: adapters)
            defer { workspace.close() }
            let config = try OpsConfig.load(projectDir: workspace.root)
            let names = name.map { [$0] } ?? config.syncs.keys.sorted()
            if names.isEmpty { say("No syncs declared in opsflow.yml."); return 0 }
            var failed = false
            for syncName in names {
                guard let sync = config.syncs[syncName] else {
                    throw OpsError(.notFound, "opsflow.yml declares no sync '\(syncName)'",
                                   hint: "declared: \(config.syncs.keys.sorted().joined(separator: ", "))")
                }
                guard let node = workspace.manifest.nodes.values.first(where: { $0.resourceType == .model && $0.name == sync.model }) else {
                    throw OpsError(.notFound, "sync \(syncName): the project has no model \(sync.model)")
                }
                let relation = Relation(database: node.database, schema: node.schema ?? workspace.target.schema ?? "main",
                                        identifier: node.alias ?? node.name, kind: .table)
                let (destination, syncRedactor) = try SyncEngine.httpDestination(sync, environment: workspace.environment,
                                                                                 transport: transport, clock: clock)
                redactor = syncRedactor
                let run = RunRecord(kind: "sync", job: syncName, command: "sync \(syncName)" + (dryRun ? " --dry-run" : ""),
                                    target: workspace.target.name, startedAt: clock.now)
                if !dryRun { try workspace.state.startRun(run) }
                let engine = SyncEngine(name: syncName, config: sync, relation: relation, adapter: workspace.adapter,
                                        state: workspace.state, targetName: workspace.target.name, destination: destination,
                                        clock: clock, redactor: syncRedactor, log: { say($0) })
                let report = try engine.run(dryRun: dryRun)
                if !dryRun {
                    try workspace.state.finishRun(id: run.id, endedAt: clock.now, status: report.failed > 0 ? "error" : "success",
                                                  exitCode: report.failed > 0 ? 1 : 0, summary: report.summary)
                }
                say("Sync \(syncName): \(report.summary)")
                if report.failed > 0 { failed = true }
            }
            return failed ? 1 : 0
        } catch {
            return fail(error, redactor: redactor)
        }
    }
}

extension OpsCommands {
    /// `opsflow runs`: the run history, newest first (a table, or JSON lines with `json`).
    public static func runs(projectDir: String?, limit: Int, job: String?, json: Bool) -> Int32 {
        do {
            let root = URL(fileURLWithPath: projectDir ?? FileManager.default.currentDirectoryPath).standardizedFileURL.path
            let state = try StateStore(path: StateStore.defaultPath(projectDir: root))
            let runs = try state.runs(limit: limit, job: job)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                encoder.dateEncodingStrategy = .iso8601
                for run in runs { say(String(decoding: try encoder.encode(run), as: UTF8.self)) }
                return 0
            }
            if runs.isEmpty { say("No runs recorded yet."); return 0 }
            say("started_at                status       kind   job / command")
            for run in runs {
                let started = StateStore.timestamp(run.startedAt).prefix(23)
                let status = run.status.padding(toLength: 12, withPad: " ", startingAt: 0)
                let kind = run.kind.padding(toLength: 6, withPad: " ", startingAt: 0)
                say("\(started)   \(status) \(kind) \(run.job.map { "\($0): " } ?? "")\(run.command)\(run.summary.map { " — \($0)" } ?? "")")
            }
            return 0
        } catch {
            return fail(error)
        }
    }

    /// `opsflow runs <run id>`: one run and its nodes (status, seconds, failing rows, message).
    /// The id may be a run's id, the invocation id it recorded, or a unique prefix of either.
    /// Exits 1 when no run matches.
    public static func showRun(projectDir: String?, id: String, json: Bool) -> Int32 {
        do {
            let root = URL(fileURLWithPath: projectDir ?? FileManager.default.currentDirectoryPath).standardizedFileURL.path
            let state = try StateStore(path: StateStore.defaultPath(projectDir: root))
            guard let run = try state.run(id: id) ?? state.run(prefix: id) else {
                say("No run \(id) in \(state.path).", to: .standardError)
                return 1
            }
            let nodes = try state.nodes(ofRun: run.id)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                encoder.dateEncodingStrategy = .iso8601
                struct Shown: Encodable { var run: RunRecord; var nodes: [RunNodeRecord] }
                say(String(decoding: try encoder.encode(Shown(run: run, nodes: nodes)), as: UTF8.self))
                return 0
            }
            say("Run \(run.id) (\(run.kind)\(run.job.map { " \($0)" } ?? ""), attempt \(run.attempt)): \(run.command)")
            say("  status     \(run.status)\(run.exitCode.map { " (exit \($0))" } ?? "")")
            say("  started    \(StateStore.timestamp(run.startedAt))")
            if let ended = run.endedAt {
                say("  ended      \(StateStore.timestamp(ended)) (\(String(format: "%.1f", ended.timeIntervalSince(run.startedAt))) s)")
            }
            if let summary = run.summary { say("  summary    \(summary)") }
            if let artifacts = run.artifactsDir { say("  artifacts  \(artifacts)") }
            if nodes.isEmpty { say("No node results recorded for this run."); return 0 }
            say("status         seconds  failures  node")
            for node in nodes {
                let status = node.status.padding(toLength: 13, withPad: " ", startingAt: 0)
                let seconds = node.executionTime.map { String(format: "%7.2f", $0) } ?? "      -"
                let failures = node.failures.map { String(format: "%8d", $0) } ?? "       -"
                say("\(status) \(seconds)  \(failures)  \(node.uniqueId)\(node.message.map { $0.isEmpty ? "" : " — \($0)" } ?? "")")
            }
            return 0
        } catch {
            return fail(error)
        }
    }

    /// `opsflow alert`: alerts on `target/run_results.json` through the channels of `opsflow.yml`.
    /// Always exits 0 when the alert could be built: a delivery failure never fails the caller.
    public static func alert(options: InvocationOptions, adapters: [AdapterFactory], transport: any HTTPTransport = URLSessionTransport()) -> Int32 {
        do {
            let workspace = try OpsWorkspace(options: options, adapters: adapters)
            defer { workspace.close() }
            let config = try OpsConfig.load(projectDir: workspace.root)
            guard let alerts = config.alerts else { say("No alerts configured in opsflow.yml."); return 0 }
            let path = workspace.targetDir.appendingPathComponent("run_results.json").path
            guard let alert = try BuildAlert.fromRunResults(path: path, project: workspace.loaded.project.name,
                                                            target: workspace.target.name, statuses: Set(alerts.on)) else {
                say("Nothing to alert on in \(path).")
                return 0
            }
            let (sinks, redactor) = try AlertDispatcher.sinks(alerts, environment: workspace.environment, transport: transport, clock: SystemClock())
            AlertDispatcher(sinks: sinks, state: workspace.state, redactor: redactor, log: { say($0) }).dispatch(alert)
            return 0
        } catch {
            return fail(error)
        }
    }
}
