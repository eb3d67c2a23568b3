import ArgumentParser
import Foundation
import Ops

/// `opsflow schedule`: the long-running scheduler of the jobs in `opsflow.yml`.
struct Schedule: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the jobs of opsflow.yml on their cron schedules until SIGTERM.")

    @Option(name: .customLong("project-dir"), help: "The folder with dbt_project.yml (default: the current folder).")
    var projectDir: String?

    @Option(name: .customLong("tick-seconds"), help: "How often to look for due jobs.")
    var tickSeconds: Double = 5

    @Flag(help: "Run what is due now, then exit.")
    var once = false

    func run() throws {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
        let code = OpsCommands.schedule(projectDir: projectDir, executable: executable, tickSeconds: tickSeconds, once: once)
        if code != 0 { throw ExitCode(code) }
    }
}
