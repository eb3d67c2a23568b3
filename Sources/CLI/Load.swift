import ArgumentParser
import Foundation
import Ops
import Run

/// `opsflow load <source>.<table> <file>…`: loads CSV/NDJSON files into a source's table.
struct Load: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load CSV or NDJSON files into a source table; rows that do not fit the source's columns are quarantined.")

    @OptionGroup var common: CommonOptions

    @Argument(help: "The source table, <source_name>.<table_name>.")
    var source: String

    @Argument(help: "The files to load, in order.")
    var files: [String]

    @Option(help: "append (default) or replace (each file becomes the table's content).")
    var mode: String = "append"

    @Option(help: "auto (by extension: .ndjson/.jsonl/.json are NDJSON), csv or ndjson.")
    var format: String = "auto"

    func validate() throws {
        guard LoadOptions.Mode(rawValue: mode) != nil else { throw ValidationError("--mode must be append or replace.") }
        guard LoadOptions.Format(rawValue: format) != nil else { throw ValidationError("--format must be auto, csv or ndjson.") }
        guard !files.isEmpty else { throw ValidationError("name at least one file to load.") }
    }

    func run() throws {
        var options = LoadOptions()
        options.mode = LoadOptions.Mode(rawValue: mode) ?? .append
        options.format = LoadOptions.Format(rawValue: format) ?? .auto
        let code = OpsCommands.load(options: common.invocationOptions(), adapters: AdapterRegistry.standard,
                                    source: source, files: files, loadOptions: options)
        if code != 0 { throw ExitCode(code) }
    }
}
