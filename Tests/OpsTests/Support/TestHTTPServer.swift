import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPClient
@testable import Ops

/// The recording, failure-injecting HTTP server of `http_server.py`, started on 127.0.0.1 for one test.
final class TestHTTPServer: @unchecked Sendable {
    let process = Process()
    let port: Int

    struct State: Decodable {
        struct Request: Decodable { var path: String; var headers: [String: String]; var body: String; var action: String }
        var requests: [Request]
        var rows: [String: [String: JSONValue]]
        var applied: [String: Int]
        var deleted: [String]
    }

    init() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("http_server.py")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let data = pipe.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first, line.hasPrefix("PORT "), let port = Int(line.dropFirst(5)) else {
            process.terminate()
            throw OpsError(.io, "the test server did not start: \(text)")
        }
        self.port = port
    }

    deinit {
        // SIGKILL: a child spawned from a dispatch worker thread inherits its blocked signal mask,
        // so it would never see SIGTERM.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// The failures to inject, one action per incoming request.
    func plan(_ actions: [String]) throws {
        let body = try JSONSerialization.data(withJSONObject: actions)
        _ = try URLSessionTransport().send(HTTPRequest(method: "POST", url: Secret(url("/_plan")), body: body, timeoutSeconds: 5))
    }

    func state() throws -> State {
        let response = try URLSessionTransport().send(HTTPRequest(method: "GET", url: Secret(url("/_state")), timeoutSeconds: 5))
        return try JSONDecoder().decode(State.self, from: response.body)
    }
}

/// Collects log lines (the engine's console).
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}
