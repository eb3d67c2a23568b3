import ArgumentParser
import Run

struct Debug: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check the project, the profile and the connection.")
    @OptionGroup var common: CommonOptions
    func run() throws { try perform(.debug, common.invocationOptions()) }
}

struct Parse: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Read the project and write target/manifest.json.")
    @OptionGroup var common: CommonOptions
    func run() throws { try perform(.parse, common.invocationOptions()) }
}

struct Compile: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Compile the selected nodes to SQL in target/compiled.")
    @OptionGroup var common: CommonOptions
    @OptionGroup var selection: SelectionOptions
    @Option(name: .customLong("inline"), help: "Compile this SQL in the project's context instead.")
    var inline: String?
    func run() throws {
        var options = common.invocationOptions(selection: selection)
        options.inline = inline
        try perform(.compile, options)
    }
}

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Build the selected models.")
    @OptionGroup var common: CommonOptions
    @OptionGroup var selection: SelectionOptions
    @OptionGroup var build: BuildOptions
    func run() throws { try perform(.run, common.invocationOptions(selection: selection, build: build)) }
}

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "test", abstract: "Run the selected data tests.")
    @OptionGroup var common: CommonOptions
    @OptionGroup var selection: SelectionOptions
    @OptionGroup var build: BuildOptions
    func run() throws { try perform(.test, common.invocationOptions(selection: selection, build: build)) }
}

struct Seed: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load the selected CSV seeds.")
    @OptionGroup var common: CommonOptions
    @OptionGroup var selection: SelectionOptions
    @OptionGroup var build: BuildOptions
    func run() throws { try perform(.seed, common.invocationOptions(selection: selection, build: build)) }
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Seed, run and test the selected nodes in graph order.")
    @OptionGroup var common: CommonOptions
    @OptionGroup var selection: SelectionOptions
    @OptionGroup var build: BuildOptions
    func run() throws { try perform(.build, common.invocationOptions(selection: selection, build: build)) }
}

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List the selected nodes.", aliases: ["list"])
    @OptionGroup var common: CommonOptions
    @OptionGroup var selection: SelectionOptions
    @Option(name: .customLong("resource-type"), parsing: .upToNextOption, help: "Only these resource types.")
    var resourceTypes: [String] = []
    @Option(name: .customLong("output"), help: "selector (default), name, path or json.")
    var output: String = "selector"
    func run() throws {
        var options = common.invocationOptions(selection: selection)
        options.resourceTypes = resourceTypes
        options.output = output
        try perform(.list, options)
    }
}

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a model's query or inline SQL and print a preview.")
    @OptionGroup var common: CommonOptions
    @OptionGroup var selection: SelectionOptions
    @Option(name: .customLong("inline"), help: "Run this SQL instead of a model.")
    var inline: String?
    @Option(name: .customLong("limit"), help: "Rows to show (-1 for all).")
    var limit: Int = 5
    @Option(name: .customLong("output"), help: "text (default) or json.")
    var output: String = "text"
    func validate() throws {
        if inline == nil && selection.select.isEmpty {
            throw ValidationError("show needs --select <model> or --inline \"<sql>\".")
        }
        guard ["text", "json"].contains(output) else { throw ValidationError("--output must be text or json.") }
    }
    func run() throws {
        var options = common.invocationOptions(selection: selection)
        options.inline = inline
        options.limit = limit
        options.output = output
        try perform(.show, options)
    }
}

struct Clean: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Delete the project's clean-targets (target/ by default).")
    @OptionGroup var common: CommonOptions
    func run() throws { try perform(.clean, common.invocationOptions()) }
}
