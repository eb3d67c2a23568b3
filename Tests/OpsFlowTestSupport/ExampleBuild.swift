import Foundation

/// Runs the built `opsflow` binary on copies of the OpsFlow Analytics example, for the adapter
/// suites that build the example on their warehouse and compare it with the embedded one.
public enum ExampleBuild {
    /// The repository root (this file is Tests/OpsFlowTestSupport/ExampleBuild.swift).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The `opsflow` binary `swift build --build-tests` made, or nil.
    public static let binary: URL? = {
        var candidates: [URL] = [
            Bundle.main.bundleURL.appendingPathComponent("opsflow"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("opsflow"),
        ]
        if let first = CommandLine.arguments.first {
            candidates.append(URL(fileURLWithPath: first).deletingLastPathComponent().appendingPathComponent("opsflow"))
        }
        candidates.append(repositoryRoot.appendingPathComponent(".build/debug/opsflow"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    public struct Output: Sendable {
        public var status: Int32
        public var output: String
        public var errors: String
    }

    public struct BinaryMissing: Error, CustomStringConvertible {
        public var description: String { "the opsflow binary is not built: run `swift build --build-tests`" }
    }

    /// Runs the binary with `HOME` at `home` (its output goes through files there, so a long
    /// build never blocks on a full pipe); returns its exit status, standard output and error.
    /// - Throws: ``BinaryMissing``, or the error starting the process.
    public static func opsflow(_ args: [String], home: String) throws -> Output {
        guard let binary else { throw BinaryMissing() }
        let process = Process()
        process.executableURL = binary
        process.arguments = args
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home
        environment["DBT_PROFILES_DIR"] = nil
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let out = home + "/stdout", err = home + "/stderr"
        FileManager.default.createFile(atPath: out, contents: nil)
        FileManager.default.createFile(atPath: err, contents: nil)
        let outHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        let errHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return Output(status: process.terminationStatus, output: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                      errors: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    /// A copy of examples/opsflow_analytics in `dir`, without its warehouse, target or logs.
    /// - Returns: the copy's path.
    public static func copyExample(into dir: String) throws -> String {
        let project = dir + "/opsflow_analytics"
        try FileManager.default.copyItem(atPath: repositoryRoot.appendingPathComponent("examples/opsflow_analytics").path,
                                         toPath: project)
        for leftover in ["target", "opsflow.sqlite", "logs", "data"] { try? FileManager.default.removeItem(atPath: project + "/" + leftover) }
        return project
    }

    /// The `Done. PASS=… WARN=… ERROR=…` line of a build's output, from `Done.` on.
    public static func summary(_ output: String) -> String? {
        for line in output.split(separator: "\n") {
            if let start = line.range(of: "Done. PASS=") { return String(line[start.lowerBound...]) }
        }
        return nil
    }

    /// What `opsflow demo` prints from "The volume forecast for the next 7 days" on ("" if absent).
    public static func forecast(_ output: String) -> String {
        guard let start = output.range(of: "The volume forecast for the next 7 days") else { return "" }
        return String(output[start.lowerBound...])
    }
}
