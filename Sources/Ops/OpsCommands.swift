import Foundation
import Run

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
