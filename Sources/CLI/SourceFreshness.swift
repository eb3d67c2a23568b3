import ArgumentParser
import Foundation
import Ops

/// `opsflow source freshness`, as `dbt source freshness`.
struct SourceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "source", abstract: "Source commands.",
                                                    subcommands: [SourceFreshnessCommand.self])
}

struct SourceFreshnessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "freshness",
                                                    abstract: "Check sources' loaded_at_field against warn_after/error_after; write target/sources.json.")
    @OptionGroup var common: CommonOptions

    func run() throws {
        let code = OpsCommands.sourceFreshness(options: common.invocationOptions(), adapters: AdapterRegistry.standard)
        if code != 0 { throw ExitCode(code) }
    }
}
