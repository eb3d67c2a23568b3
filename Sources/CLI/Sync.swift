import ArgumentParser
import Foundation
import Ops
import Run

/// `opsflow sync [name]`: reverse ETL of models to HTTP APIs, as declared in `opsflow.yml`.
struct Sync: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Push models' new and changed rows to HTTP APIs (the syncs in opsflow.yml); all syncs without a name.")

    @OptionGroup var common: CommonOptions

    @Argument(help: "The sync to run (default: every sync).")
    var name: String?

    @Flag(name: .customLong("dry-run"), help: "Print what would be sent; send nothing, change no state.")
    var dryRun = false

    func run() throws {
        let code = OpsCommands.sync(options: common.invocationOptions(), adapters: AdapterRegistry.standard, name: name, dryRun: dryRun)
        if code != 0 { throw ExitCode(code) }
    }
}
