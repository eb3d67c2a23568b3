import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import Web

/// `opsflow serve` shows runs kept only in the project's state database (`.opsflow/state.sqlite`),
/// read in headless Chromium. The run is made by the real binary (`opsflow test` records itself);
/// the right statuses come from the `run_results.json` that same invocation wrote (the Run
/// module's artifact), which is then deleted so that only the state database knows the run.
@Suite(.serialized) struct StateHistoryBrowserTests {
    static let binary = repoRoot.appendingPathComponent(".build/debug/opsflow").path

    /// A private copy of the example (the shared one stays as other tests expect it).
    static func copyOfExample() throws -> URL {
        let example = try Example.get()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opsflow-web-state-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: example.projectDir, to: dir)
        try? FileManager.default.removeItem(at: dir.appendingPathComponent(".opsflow"))
        return dir
    }

    /// Starts `opsflow serve` on a free port; returns the process and its base URL.
    static func serve(_ projectDir: URL) async throws -> (Process, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--project-dir", projectDir.path, "--port", "0"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let line: String = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var data = Data()
                while !data.contains(UInt8(ascii: "\n")) {
                    let chunk = out.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    data.append(chunk)
                }
                continuation.resume(returning: String(decoding: data, as: UTF8.self))
            }
        }
        let port = try #require(line.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) }, "serve said: \(line)")
        return (process, "http://127.0.0.1:\(port)")
    }

    @Test(.enabled(if: Browser.path != nil)) func theRunsPageListsARunKeptOnlyInTheStateDatabase() async throws {
        let dir = try Self.copyOfExample()
        defer { try? FileManager.default.removeItem(at: dir) }
        let test = try runCommand(Self.binary, ["test", "--project-dir", dir.path, "--quiet"])
        #expect(test.status == 0, "\(test.stdout)\(test.stderr)")
        #expect(!test.stderr.contains("Warning"), "\(test.stderr)")
        // The oracle: what this invocation wrote, read by an independent JSON parser.
        let resultsFile = dir.appendingPathComponent("target/run_results.json")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: resultsFile)) as? [String: Any])
        let runID = try #require((root["metadata"] as? [String: Any])?["invocation_id"] as? String)
        let results = try #require(root["results"] as? [[String: Any]])
        var expected: [String: String] = [:]
        var failures: [String: Int] = [:]
        for r in results {
            guard let id = r["unique_id"] as? String, let status = r["status"] as? String else { continue }
            expected[id] = status
            if ["warn", "fail"].contains(status) { failures[id] = (r["failures"] as? NSNumber)?.intValue }
        }
        #expect(expected.count > 30)
        #expect(!failures.isEmpty, "the example's sparse segments should warn")

        let (server, base) = try await Self.serve(dir)
        defer {
            server.terminate()
            let pid = server.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + 5) { kill(pid, SIGKILL) }
            server.waitUntilExit()
        }
        // Recorded in both places (the file and the state database), the run shows once.
        let (both, _) = try await URLSession.shared.data(from: try #require(URL(string: base + "/api/runs")))
        let bothRuns = try #require(try JSONSerialization.jsonObject(with: both) as? [[String: Any]])
        #expect(bothRuns.map { $0["id"] as? String } == [runID])

        // From now on only the state database knows it (the server reads history per request).
        try FileManager.default.removeItem(at: resultsFile)
        let runs = try await Browser.dumpDOM(base + "/runs")
        // One run, the state database's, with the invocation id as its id.
        #expect(attributeValues(runs, "data-run") == [runID])
        #expect(runs.contains("<td>test</td>"))
        #expect(runs.contains("state database"))
        #expect(runs.contains("<span class=\"status s-success\">success</span>"))

        let page = try await Browser.dumpDOM(base + "/runs/\(runID)")
        let ids = attributeValues(page, "data-node")
        let statuses = attributeValues(page, "data-status")
        #expect(ids.count == expected.count)
        #expect(Dictionary(zip(ids, statuses), uniquingKeysWith: { a, _ in a }) == expected)
        // Every node is a bar on the timeline.
        #expect(page.components(separatedBy: "<rect class=\"bar s-").count - 1 == expected.count)
        // The warning tests show their failing-row counts and rows, read with the SQL kept in the
        // run's copy of run_results.json.
        for (id, count) in failures {
            let name = id.split(separator: ".").dropFirst(2).first.map(String.init) ?? id
            #expect(page.contains("\(name)</a> <span class=\"status s-warn\">warn</span> \(count) failing rows"), "\(id)")
        }
        #expect(!page.contains("No warehouse connection to read the failing rows"))
        #expect(page.contains("<section class=\"failing\"><h3>") && page.contains("<table><thead>"))

        // The JSON API agrees.
        let (data, _) = try await URLSession.shared.data(from: try #require(URL(string: base + "/api/runs")))
        let api = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(api.map { $0["id"] as? String } == [runID])
        #expect(api.first?["source"] as? String == "state database")
        #expect(api.first?["status"] as? String == "success")
    }
}
