import Foundation
import Project

/// What compilation needs to know about the invocation.
public struct CompileSettings: Sendable {
    /// The profile target (its name, type, schema, database and fields).
    public var target: Target
    /// The profile's name (`target.profile_name`).
    public var profileName: String
    /// `--vars`, which win over `vars:` in dbt_project.yml.
    public var cliVars: [String: ConfigValue] = [:]
    /// `--full-refresh`.
    public var fullRefresh = false
    /// The invocation's id (`invocation_id`), a UUID string.
    public var invocationId: String
    /// When the invocation started (`run_started_at`).
    public var runStartedAt: Date
    /// The command (`flags.WHICH`): `run`, `build`, `compile` …
    public var which: String
    /// The environment `env_var()` reads.
    public var environment: [String: String]
    /// Where `log()` goes.
    public var log: (any CompileLogSink)?

    public init(target: Target, profileName: String, invocationId: String = UUID().uuidString.lowercased(),
                runStartedAt: Date = Date(), which: String = "compile",
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.target = target
        self.profileName = profileName
        self.invocationId = invocationId
        self.runStartedAt = runStartedAt
        self.which = which
        self.environment = environment
    }
}

/// A node compiled for execution.
public struct CompiledNode: Sendable {
    /// The node with `compiledCode`, `relationName` and `dependsOn.macros` filled in.
    public var node: Node
    /// The SQL to run, ephemeral CTEs included.
    public var sql: String
    /// Rendered pre- and post-hooks.
    public var preHooks: [String]
    public var postHooks: [String]
}

/// A compilation error: the node's file, line and column, what went wrong, and a hint.
public struct CompileError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable { case jinja, ref, source, config, cycle, `internal` }
    public var kind: Kind
    public var message: String
    /// The file relative to the project root.
    public var file: String?
    public var line: Int?
    public var column: Int?
    public var hint: String?
    /// The node being compiled, when there is one.
    public var nodeId: String?

    public init(_ kind: Kind, _ message: String, file: String? = nil, line: Int? = nil, column: Int? = nil,
                hint: String? = nil, nodeId: String? = nil) {
        self.kind = kind
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.hint = hint
        self.nodeId = nodeId
    }

    public var description: String {
        var text = ""
        if let nodeId { text += "Compilation Error in \(nodeId)" + (file.map { " (\($0))" } ?? "") + "\n  " }
        if let file {
            text += file
            if let line, line > 0 { text += ":\(line)" + (column.map { ":\($0)" } ?? "") }
            text += ": "
        }
        text += message
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }
}
