import ArgumentParser
import Foundation
import Ops
import Run

/// `opsflow runs [run id]`: the recorded run history (builds, loads, syncs, scheduled jobs), or one
/// run with its nodes.
struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List recorded runs, newest first, or show one run's nodes.")

    @Argument(help: "Show this run (its id, its invocation id, or a unique prefix) with every node's result.")
    var runID: String?

    @Option(name: .customLong("project-dir"), help: "The folder with dbt_project.yml (default: the current folder).")
    var projectDir: String?

    @Option(help: "At most this many runs.")
    var limit: Int = 20

    @Option(help: "Only this job's or sync's runs.")
    var job: String?

    @Flag(help: "One JSON object per line.")
    var json = false

    func run() throws {
        let code = runID.map { OpsCommands.showRun(projectDir: projectDir, id: $0, json: json) }
            ?? OpsCommands.runs(projectDir: projectDir, limit: limit, job: job, json: json)
        if code != 0 { throw ExitCode(code) }
    }
}

/// `opsflow alert`: sends the alert of the last run's results (for wrappers and CI steps).
struct Alert: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Alert on target/run_results.json through the channels in opsflow.yml.")

    @OptionGroup var common: CommonOptions

    func run() throws {
        let code = OpsCommands.alert(options: common.invocationOptions(), adapters: AdapterRegistry.standard)
        if code != 0 { throw ExitCode(code) }
    }
}
