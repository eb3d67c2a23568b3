import Foundation
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
            let results = try loader.load(contract, files: files, options: loadOptions)
            let loaded = results.reduce(0) { $0 + $1.loadedRows }
            let quarantined = results.reduce(0) { $0 + $1.quarantinedRows }
            let skipped = results.filter { $0.status == .alreadyLoaded }.count
            say("Done. FILES=\(results.count) LOADED_ROWS=\(loaded) QUARANTINED_ROWS=\(quarantined) ALREADY_LOADED_FILES=\(skipped)")
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
