import Foundation
@testable import Ops

/// The built `opsflow` binary (`swift build` makes it; CLITests depend on it, so
/// `swift build --build-tests` does too) and a tiny dbt project for it to build.
enum Opsflow {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let binary = repoRoot.appendingPathComponent(".build/debug/opsflow").path

    struct Output { var status: Int32; var stdout: String; var stderr: String }

    /// Runs the binary to the end; a hung one is killed after `timeout` seconds.
    @discardableResult
    static func run(_ arguments: [String], environment: [String: String]? = nil, timeout: Double = 180) throws -> Output {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw OpsError(.notFound, "\(binary) missing: run `swift build` first")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        defer { watchdog.cancel() }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A project with a view, a table that takes a few seconds (a recursive count to `slowCount`),
    /// and three tests on the view, one of which fails (a NULL name): 2 success, 2 pass, 1 fail.
    static func tinyProject(in dir: TempDir, slowCount: Int = 3_000_000, failingTest: Bool = true, jobs: String? = nil) throws {
        try dir.write("dbt_project.yml", "name: tiny\nversion: \"1.0\"\nprofile: tiny\n")
        try dir.write("profiles.yml", """
            tiny:
              target: dev
              outputs:
                dev:
                  type: sqlite
                  path: warehouse.sqlite
                  schema: main
                  threads: 2

            """)
        try dir.write("models/quick.sql", "select 1 as id, 'a' as name union all select 2, 'b' union all select 3, null\n")
        try dir.write("models/slow.sql", """
            {{ config(materialized='table') }}
            with recursive c(x) as (select 1 union all select x + 1 from c where x < \(slowCount)) select count(*) as n from c

            """)
        try dir.write("models/schema.yml", """
            version: 2
            models:
              - name: quick
                columns:
                  - name: id
                    data_tests: [unique, not_null]
                  - name: name
                    data_tests: [\(failingTest ? "not_null" : "")]

            """)
        if let jobs { try dir.write("opsflow.yml", jobs) }
    }

    /// `(unique_id, status, failures)` of every result in a run_results.json, sorted by id: the
    /// Run module's own artifact, the oracle for what run history must hold.
    static func results(ofRunResults path: String) throws -> (invocationID: String, nodes: [String: (String, Int?)]) {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let metadata = object["metadata"] as? [String: Any], let id = metadata["invocation_id"] as? String,
              let results = object["results"] as? [[String: Any]] else {
            throw OpsError(.io, "not a run_results.json", file: path)
        }
        var nodes: [String: (String, Int?)] = [:]
        for result in results {
            if let uid = result["unique_id"] as? String, let status = result["status"] as? String {
                nodes[uid] = (status, (result["failures"] as? NSNumber)?.intValue)
            }
        }
        return (id, nodes)
    }
}

/// Polls `condition` every 0.1 s until it holds or `seconds` pass; returns whether it held.
func eventually(within seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.1)
    }
    return try condition()
}
