import Foundation
import Warehouse

/// The verbs an invocation can run (dbt's commands).
public enum InvocationCommand: String, Sendable {
    case debug, parse, compile, run, test, seed, build, list = "ls", show, clean
}

/// Everything an invocation was asked, already parsed by the CLI.
public struct InvocationOptions: Sendable {
    public var projectDir: String?
    public var profilesDir: String?
    public var target: String?
    /// `--vars` as YAML text.
    public var vars: String?
    public var threads: Int?
    public var select: [String] = []
    public var exclude: [String] = []
    public var selector: String?
    public var resourceTypes: [String] = []
    public var fullRefresh = false
    public var failFast = false
    public var logFormat: ConsoleLog.Format = .text
    public var quiet = false
    /// `compile --inline` / `show --inline`.
    public var inline: String?
    /// `show --limit` (rows; -1 for all).
    public var limit = 5
    /// `ls --output` (`selector`, `name`, `path`, `json`) or `show --output` (`text`, `json`).
    public var output: String?
    /// `build/run/test --dry-run`: estimate what each selected node would process instead of running it.
    public var dryRun = false
    /// The on-demand price per TiB processed, for `--dry-run` (BigQuery's on-demand compute
    /// pricing: US$6.25 per TiB in the US multi-region, cloud.google.com/bigquery/pricing).
    public var pricePerTiB = 6.25
    /// Where console output goes (tests capture it).
    public var console: FileHandle = .standardOutput

    public init() {}
}

/// Opens an adapter for a profile target. The CLI registers one per warehouse driver target,
/// which keeps drivers out of this module.
public struct AdapterFactory: Sendable {
    /// The profile `type` it serves, e.g. `sqlite`.
    public var type: String
    /// Opens a connection. `settings` are the target's keys from profiles.yml (strings, numbers,
    /// booleans as text); `projectDir` resolves relative paths.
    public var open: @Sendable (_ settings: [String: String], _ projectDir: String) throws -> any Adapter

    public init(type: String, open: @escaping @Sendable (_ settings: [String: String], _ projectDir: String) throws -> any Adapter) {
        self.type = type
        self.open = open
    }
}
