import Foundation
import Testing

/// What one run of the built `opsflow` binary printed and returned.
struct CLIResult {
    var stdout: String
    var stderr: String
    var exitCode: Int32

    /// stdout lines without dbt's `HH:MM:SS  ` time prefix.
    var lines: [String] {
        stdout.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let text = String(line)
            // `05:33:44  message`: 8 characters of time, then two spaces.
            if text.count >= 10, text.dropFirst(2).first == ":", text.dropFirst(8).hasPrefix("  ") {
                return String(text.dropFirst(10))
            }
            return text
        }
    }

    /// Both streams, for failure messages.
    var all: String { "exit \(exitCode)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }
}

/// Runs the `opsflow` executable that `swift build --build-tests` put beside the test bundle,
/// the way ArgumentParser's example tests run their binaries.
enum CLI {
    /// The folder of this file's package (`…/Tests/CLITests/Support/CLIHarness.swift` → the root).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let fixtures: URL = packageRoot.appendingPathComponent("Tests/CLITests/Fixtures")

    /// The built binary: beside the test bundle (`.build/<triple>/debug/`), else `.build/debug/`.
    static let binary: URL? = {
        var candidates: [URL] = [
            Bundle.main.bundleURL.appendingPathComponent("opsflow"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("opsflow"),
        ]
        if let first = CommandLine.arguments.first {
            candidates.append(URL(fileURLWithPath: first).deletingLastPathComponent().appendingPathComponent("opsflow"))
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/opsflow"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// Runs `opsflow args…` in `directory` with a clean environment (HOME in a temp folder so no
    /// `~/.dbt/profiles.yml` leaks in) plus `environment`.
    /// - Parameters:
    ///   - timeout: seconds before the process is killed (the test then fails on its exit code).
    static func run(_ args: [String], in directory: URL? = nil, environment: [String: String] = [:],
                    timeout: Double = 60) throws -> CLIResult {
        guard let binary else { throw HarnessError("the opsflow binary is not built: run `swift build --build-tests`") }
        let process = Process()
        process.executableURL = binary
        process.arguments = args
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("opsflow-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var env = ProcessInfo.processInfo.environment
        env["DBT_PROFILES_DIR"] = nil
        env["HOME"] = scratch.path
        env["NO_COLOR"] = "1"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let directory { process.currentDirectoryURL = directory }
        // Files, not pipes: a chatty child can never block on a full pipe.
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning { process.terminate(); process.waitUntilExit() }
        process.waitUntilExit()
        try out.close(); try err.close()
        return CLIResult(stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "",
                         exitCode: process.terminationStatus)
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A copy of a fixture project in its own temporary folder (tests run in parallel).
struct FixtureProject {
    let root: URL

    /// Copies `Tests/CLITests/Fixtures/<name>` into a fresh temporary folder.
    init(_ name: String = "shop") throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("opsflow-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        root = parent.appendingPathComponent(name)
        try FileManager.default.copyItem(at: CLI.fixtures.appendingPathComponent(name), to: root)
    }

    var path: String { root.path }
    var database: String { root.appendingPathComponent("shop.sqlite").path }

    /// `opsflow <verb> --project-dir <root> args…`.
    @discardableResult
    func opsflow(_ verb: String, _ args: String..., environment: [String: String] = [:]) throws -> CLIResult {
        try CLI.run(verb.split(separator: " ").map(String.init) + ["--project-dir", path] + args, environment: environment)
    }

    func write(_ relativePath: String, _ contents: String) throws {
        let url = root.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url)
    }

    func read(_ relativePath: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
    }

    func exists(_ relativePath: String) -> Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent(relativePath).path)
    }

    func remove(_ relativePath: String) throws {
        try FileManager.default.removeItem(at: root.appendingPathComponent(relativePath))
    }

    /// Rows of a query, read with Python's own `sqlite3` module (an independent reader of the
    /// file), each row as `|`-joined Python `str()` of the cells.
    func query(_ sql: String) throws -> [String] {
        try Python.run("""
            import sqlite3, sys
            con = sqlite3.connect(sys.argv[1])
            for row in con.execute(sys.argv[2]):
                print('|'.join(str(c) for c in row))
            """, args: [database, sql]).split(separator: "\n").map(String.init)
    }
}

/// Runs `python3 -c` (oracles: `sqlite3`, `dbt_artifacts_parser`).
enum Python {
    static func run(_ script: String, args: [String] = []) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + args
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw HarnessError("python3 failed: " + (String(data: errData, encoding: .utf8) ?? ""))
        }
        return String(data: data, encoding: .utf8) ?? ""
    }
}

extension CLIResult {
    /// The first line that starts with `prefix` (after the time stamp).
    func line(startingWith prefix: String) -> String? { lines.first { $0.hasPrefix(prefix) } }
    /// Whether some line contains `text`.
    func has(_ text: String) -> Bool { lines.contains { $0.contains(text) } }
    /// The `Done. PASS=…` line.
    var doneLine: String? { line(startingWith: "Done. ") }
}
