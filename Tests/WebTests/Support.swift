import Foundation
import Testing
import Web

/// The repository root (this file is Tests/WebTests/Support.swift).
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

struct CommandOutput { var status: Int32; var stdout: String; var stderr: String }

/// Runs a program and waits for it.
@discardableResult
func runCommand(_ path: String, _ args: [String], cwd: URL? = nil, timeout: Double = 120) throws -> CommandOutput {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = args
    if let cwd { process.currentDirectoryURL = cwd }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // A hung child is killed after `timeout` seconds (the test then fails on its status).
    let pid = process.processIdentifier
    let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
    DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
    defer { watchdog.cancel() }
    // Read before waiting: a full pipe would block the child.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandOutput(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}

/// The OpsFlow Analytics example, built once per test process by the real binary into a temporary
/// copy (`opsflow demo --days 90 --orders-per-day 150`: sparse segments give the growth warnings): a real manifest.json, run_results.json and
/// WAL SQLite warehouse.
struct Example: Sendable {
    var projectDir: URL
    var warehousePath: String

    static let shared: Result<Example, any Error> = Result { try build() }

    static func get() throws -> Example { try shared.get() }

    static func build() throws -> Example {
        let binary = repoRoot.appendingPathComponent(".build/debug/opsflow").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw WebError.io("\(binary) missing: run `swift build` first")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opsflow-web-\(UUID().uuidString)")
        let source = repoRoot.appendingPathComponent("examples/opsflow_analytics")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for item in try FileManager.default.contentsOfDirectory(atPath: source.path)
        where !["target", "logs"].contains(item) && !item.hasPrefix("opsflow.sqlite") {
            try FileManager.default.copyItem(at: source.appendingPathComponent(item), to: dir.appendingPathComponent(item))
        }
        let result = try runCommand(binary, ["demo", "--project-dir", dir.path, "--days", "90", "--orders-per-day", "150",
                                             "--end-date", "2026-11-29", "--quiet"])
        guard result.status == 0 else { throw WebError.io("opsflow demo failed: \(result.stderr)\(result.stdout)") }
        // The copy (≈15 MB) goes when the test process ends.
        atexit {
            if case .success(let example) = Example.shared { try? FileManager.default.removeItem(at: example.projectDir) }
        }
        return Example(projectDir: dir, warehousePath: dir.appendingPathComponent("opsflow.sqlite").path)
    }

    var targetDir: String { projectDir.appendingPathComponent("target").path }

    func app(token: String? = nil, limits: QueryLimits = QueryLimits()) throws -> WebApp {
        WebApp(config: WebConfig(projectDir: projectDir.path, warehouse: try SQLiteReadOnlyWarehouse(path: warehousePath),
                                 accessToken: token, limits: limits))
    }
}

/// Python's sqlite3 module (an independent SQLite client) as the oracle for query results: returns
/// the rows of `sql`, bound with `params`, as JSON.
func pythonQuery(_ database: String, _ sql: String, _ params: [String: String] = [:]) throws -> [[Any]] {
    let script = """
    import json, sqlite3, sys
    db = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True)
    rows = db.execute(sys.argv[2], json.loads(sys.argv[3])).fetchall()
    print(json.dumps([list(r) for r in rows]))
    """
    let params = String(decoding: try JSONSerialization.data(withJSONObject: params), as: UTF8.self)
    let out = try runCommand("/usr/bin/env", ["python3", "-c", script, database, sql, params])
    guard out.status == 0, let rows = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[Any]] else {
        throw WebError.io("python oracle failed: \(out.stderr)")
    }
    return rows
}

/// Values of `attribute="…"` in document order.
func attributeValues(_ html: String, _ attribute: String) -> [String] {
    var out: [String] = []
    var rest = html[...]
    let marker = " \(attribute)=\""
    while let r = rest.range(of: marker) {
        let after = rest[r.upperBound...]
        guard let end = after.firstIndex(of: "\"") else { break }
        out.append(String(after[..<end]))
        rest = after[end...]
    }
    return out
}

/// The (rows, checksum) attributes of every dashboard card in a page.
func cardSignatures(_ html: String) -> [String] {
    zip(attributeValues(html, "data-rows"), attributeValues(html, "data-checksum")).map { "\($0)|\($1)" }
}
