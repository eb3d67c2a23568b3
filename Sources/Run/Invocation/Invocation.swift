import Compile
import Foundation
import Project
import Warehouse

/// One run of one verb, from reading the project to writing the artifacts: the stateless runner
/// dbt users expect. Every outcome maps to dbt's exit codes here and nowhere else:
/// 0 success, 1 a node failed, 2 the invocation itself failed.
public final class Invocation: @unchecked Sendable {
    let options: InvocationOptions
    let factories: [String: AdapterFactory]
    let invocationId: String
    let startedAt = Date()
    let console: ConsoleLog
    let events: any EventSink
    let artifactFiles = ArtifactFileWriter()

    /// - Parameters:
    ///   - options: the parsed command line.
    ///   - adapters: one factory per warehouse type the binary ships.
    ///   - extraSink: also receives every event (tests, run history).
    public init(options: InvocationOptions, adapters: [AdapterFactory], extraSink: (any EventSink)? = nil) {
        self.options = options
        self.factories = Dictionary(adapters.map { ($0.type, $0) }, uniquingKeysWith: { first, _ in first })
        let id = UUID().uuidString.lowercased()
        invocationId = id
        let console = ConsoleLog(format: options.logFormat, quiet: options.quiet, invocationId: id, output: options.console)
        self.console = console
        events = extraSink.map { EventFanout([console, $0]) } ?? console
    }

    /// Runs the verb and returns the process exit code.
    public func run(_ command: InvocationCommand) -> Int32 {
        do {
            return try execute(command)
        } catch {
            events.emit(Event(.error, code: "Z002", name: "MainEncounteredError", Self.describe(error)))
            return 2
        }
    }

    /// The one-line (or few-line) text of any error, with its location and hint.
    static func describe(_ error: Error) -> String {
        switch error {
        case let error as CompileError: return error.description
        case let error as ProjectError: return String(describing: error)
        case let error as RunError: return error.description
        case let error as WarehouseError: return "Database Error: \(error.message)"
        default: return String(describing: error)
        }
    }

    var projectDir: String {
        let dir = options.projectDir ?? FileManager.default.currentDirectoryPath
        return URL(fileURLWithPath: dir).standardizedFileURL.path
    }

    func info(_ message: String, code: String = "Z017", name: String = "Formatting") {
        events.emit(Event(.info, code: code, name: name, message))
    }
}
