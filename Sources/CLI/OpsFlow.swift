import ArgumentParser
import Foundation
import Ops
import Run

/// `opsflow`: the root command. Each verb is one subcommand; they only parse arguments and call
/// the library targets. Exit codes follow dbt: 0 success, 1 a node failed, 2 the invocation failed.
@main
struct OpsFlow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "opsflow",
        abstract: "A native engine for dbt projects, with scheduling, loading, alerts and sync built in.",
        version: OpsFlowVersion.current,
        subcommands: [
            Debug.self, Parse.self, Compile.self, RunCommand.self, TestCommand.self, Seed.self, Build.self,
            List.self, Show.self, Clean.self, Init.self, DemoCommand.self, Serve.self, Docs.self, SQLCommand.self,
            Load.self, Sync.self, Runs.self, Alert.self, Schedule.self, SourceCommand.self, SensorCommand.self,
        ]
    )

    /// Parses, runs, and maps every outcome to dbt's exit codes in one place.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                // --help and --version are "errors" that print and succeed.
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}

/// Flags every verb shares (dbt's global and project flags).
struct CommonOptions: ParsableArguments {
    @Option(name: .customLong("project-dir"), help: "The folder with dbt_project.yml (default: the current folder).")
    var projectDir: String?

    @Option(name: .customLong("profiles-dir"), help: "The folder with profiles.yml (default: DBT_PROFILES_DIR, the project folder, ~/.dbt).")
    var profilesDir: String?

    @Option(name: [.customLong("target"), .customShort("t")], help: "The profile target to use.")
    var target: String?

    @Option(name: .customLong("vars"), help: "Project variables as a YAML dict, e.g. '{key: value}'.")
    var vars: String?

    @Option(name: .customLong("threads"), help: "Worker threads (overrides the profile).")
    var threads: Int?

    @Option(name: .customLong("log-format"), help: "text or json.")
    var logFormat: String = "text"

    @Flag(name: [.customLong("quiet"), .customShort("q")], help: "Print only errors and the requested output.")
    var quiet = false

    func validate() throws {
        guard ["text", "json", "default"].contains(logFormat) else {
            throw ValidationError("--log-format must be text or json, not '\(logFormat)'.")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
    }
}

/// Node selection flags (dbt's `--select/--exclude/--selector`).
struct SelectionOptions: ParsableArguments {
    @Option(name: [.customLong("select"), .customShort("s"), .customLong("models"), .customShort("m")],
            parsing: .upToNextOption, help: "Nodes to include (dbt selection syntax).")
    var select: [String] = []

    @Option(name: .customLong("exclude"), parsing: .upToNextOption, help: "Nodes to exclude.")
    var exclude: [String] = []

    @Option(name: .customLong("selector"), help: "A YAML selector from selectors.yml.")
    var selector: String?
}

/// Flags of the verbs that build (`run`, `build`, `seed`, `test`).
struct BuildOptions: ParsableArguments {
    @Flag(name: .customLong("full-refresh"), help: "Rebuild incremental models and seeds from scratch.")
    var fullRefresh = false

    @Flag(name: [.customLong("fail-fast"), .customShort("x")], help: "Stop at the first failure.")
    var failFast = false

    @Flag(name: .customLong("dry-run"), help: "Run nothing: print the bytes each selected model and test would process (BigQuery dry runs) and the cost.")
    var dryRun = false

    @Option(name: .customLong("price-per-tib"), help: "On-demand price per TiB processed, for --dry-run (default 6.25, BigQuery's US on-demand price).")
    var pricePerTiB: Double?
}

extension CommonOptions {
    func invocationOptions(selection: SelectionOptions? = nil, build: BuildOptions? = nil) -> InvocationOptions {
        var options = InvocationOptions()
        options.projectDir = projectDir
        options.profilesDir = profilesDir
        options.target = target
        options.vars = vars
        options.threads = threads
        options.logFormat = logFormat == "json" ? .json : .text
        options.quiet = quiet
        if let selection {
            options.select = selection.select
            options.exclude = selection.exclude
            options.selector = selection.selector
        }
        if let build {
            options.fullRefresh = build.fullRefresh
            options.failFast = build.failFast
            options.dryRun = build.dryRun
            if let price = build.pricePerTiB ?? ProcessInfo.processInfo.environment["OPSFLOW_PRICE_PER_TIB"].flatMap(Double.init) {
                options.pricePerTiB = price
            }
        }
        return options
    }
}

/// Runs a verb through the library and exits with its code.
///
/// A verb that runs nodes records itself in the state database (`RunRecording.swift`); after it,
/// the alert channels of `opsflow.yml` (if any) hear about failures
/// (and warnings when configured); delivering an alert never changes the exit code.
func perform(_ command: InvocationCommand, _ options: InvocationOptions) throws {
    let startedAt = Date()
    let code = Invocation(options: options, adapters: AdapterRegistry.standard).run(command)
    recordInvocation(command, options, startedAt: startedAt, exitCode: code)
    if [.run, .test, .seed, .build].contains(command), code != 2, shouldAlert(code: code, options: options) {
        _ = OpsCommands.alert(options: options, adapters: AdapterRegistry.standard)
    }
    if code != 0 { throw ExitCode(code) }
}

/// Whether the project declares alerts that this outcome can trigger.
private func shouldAlert(code: Int32, options: InvocationOptions) -> Bool {
    let projectDir = options.projectDir ?? FileManager.default.currentDirectoryPath
    guard FileManager.default.fileExists(atPath: projectDir + "/opsflow.yml"),
          let alerts = (try? OpsConfig.load(projectDir: projectDir))?.alerts else { return false }
    return code == 1 || alerts.on.contains("warn")
}
