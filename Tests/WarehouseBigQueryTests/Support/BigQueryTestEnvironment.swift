import Foundation
import HTTPClient
import Warehouse
@testable import WarehouseBigQuery

/// The BigQuery side of the tests, all on 127.0.0.1: the emulator (the one `scripts/test` started,
/// `OPSFLOW_BQ_EMULATOR`, or else one started here with `scripts/bq_emulator_start.sh`), and in
/// front of it `scripts/bq_test_server.py`: the token endpoint that checks the service-account
/// JWT's signature with openssl, a proxy that requires its tokens, records requests and injects
/// errors. The service-account key is generated here with openssl.
struct BigQueryTestEnvironment: Sendable {
    var emulator: String
    /// The proxy: the adapter's `api_endpoint`.
    var endpoint: String
    var project: String
    var directory: String
    var keyfile: String
    var privateKeyPKCS8: String
    var privateKeyPKCS1: String
    var email: String

    var tokenEndpoint: String { endpoint + "/token" }

    static let shared: Result<BigQueryTestEnvironment, TestSetupError> = start()

    static func get() throws -> BigQueryTestEnvironment { try shared.get() }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Runs a shell command, returning its status and standard output.
    @discardableResult
    static func shell(_ command: String) -> (status: Int32, output: String) {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("opsflow-bq-\(UUID().uuidString).out").path
        let status = system("(\(command)) > '\(out)' 2>>'\(out).err' < /dev/null")
        let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: out)
        try? FileManager.default.removeItem(atPath: out + ".err")
        return (status, text)
    }

    private static func start() -> Result<BigQueryTestEnvironment, TestSetupError> {
        let environment = ProcessInfo.processInfo.environment
        var emulator = environment["OPSFLOW_BQ_EMULATOR"] ?? ""
        var project = environment["OPSFLOW_BQ_PROJECT"] ?? "opsflow-test"
        let scripts = repositoryRoot.appendingPathComponent("scripts").path
        if emulator.isEmpty {
            let (status, output) = shell("OPSFLOW_BQ_PARENT_PID=\(getpid()) '\(scripts)/bq_emulator_start.sh'")
            var values: [String: String] = [:]
            for line in output.split(separator: "\n") {
                let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { values[parts[0]] = parts[1] }
            }
            guard status == 0, let url = values["OPSFLOW_BQ_EMULATOR"] else {
                return .failure(TestSetupError("scripts/bq_emulator_start.sh failed (status \(status))"))
            }
            emulator = url
            project = values["OPSFLOW_BQ_PROJECT"] ?? project
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opsflow-bq-test-\(UUID().uuidString.prefix(8))").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // OpenSSL 3 writes PKCS#8 ("BEGIN PRIVATE KEY"); -traditional gives PKCS#1 ("BEGIN RSA PRIVATE KEY").
        let keygen = shell("openssl genrsa -out '\(dir)/key.pem' 2048 && openssl rsa -in '\(dir)/key.pem' -pubout -out '\(dir)/pub.pem'"
                           + " && openssl rsa -in '\(dir)/key.pem' -traditional -out '\(dir)/key-pkcs1.pem'")
        guard keygen.status == 0, let pkcs8 = try? String(contentsOfFile: dir + "/key.pem", encoding: .utf8),
              let pkcs1 = try? String(contentsOfFile: dir + "/key-pkcs1.pem", encoding: .utf8) else {
            return .failure(TestSetupError("openssl could not generate the test key"))
        }
        let email = "opsflow-test@\(project).iam.gserviceaccount.com"
        let portFile = dir + "/port"
        let serverCommand = "python3 '\(scripts)/bq_test_server.py' --upstream '\(emulator)' --public-key '\(dir)/pub.pem'"
            + " --email '\(email)' --port-file '\(portFile)' --parent-pid \(getpid()) --cleanup '\(dir)' >'\(dir)/server.log' 2>&1 &"
        _ = system(serverCommand)
        var port: String?
        for _ in 0..<100 {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), !text.isEmpty { port = text; break }
            usleep(100_000)
        }
        guard let port else { return .failure(TestSetupError("scripts/bq_test_server.py did not start; see \(dir)/server.log")) }
        let endpoint = "http://127.0.0.1:\(port)"
        let key: [String: Any] = [
            "type": "service_account", "project_id": project, "private_key_id": "test-key-1", "private_key": pkcs8,
            "client_email": email, "client_id": "1234", "token_uri": endpoint + "/token",
        ]
        let keyfile = dir + "/keyfile.json"
        guard let data = try? JSONSerialization.data(withJSONObject: key, options: [.sortedKeys]),
              FileManager.default.createFile(atPath: keyfile, contents: data) else {
            return .failure(TestSetupError("could not write the keyfile"))
        }
        return .success(BigQueryTestEnvironment(emulator: emulator, endpoint: endpoint, project: project, directory: dir,
                                                keyfile: keyfile, privateKeyPKCS8: pkcs8, privateKeyPKCS1: pkcs1, email: email))
    }

    /// Profile settings for a service-account target on the emulator behind the proxy.
    func settings(dataset: String = "dev", extra: [String: String] = [:]) -> [String: String] {
        var settings = [
            "type": "bigquery", "method": "service-account", "keyfile": keyfile, "project": project, "dataset": dataset,
            "location": "US", "threads": "4", "job_retries": "3", "api_endpoint": endpoint, "token_endpoint": tokenEndpoint,
        ]
        for (key, value) in extra { settings[key] = value }
        return settings
    }

    /// An adapter whose retry pauses are recorded instead of slept.
    func adapter(dataset: String = "dev", extra: [String: String] = [:], pauses: PauseLog? = nil) throws -> BigQueryAdapter {
        let adapter = try BigQueryAdapter(settings: settings(dataset: dataset, extra: extra))
        let log = pauses ?? PauseLog()
        adapter.setSleep { log.add($0) }
        return adapter
    }

    /// A unique dataset name for one test.
    static func dataset(_ prefix: String) -> String { prefix + "_" + UUID().uuidString.prefix(8).lowercased() }

    // MARK: - The test server's controls

    @discardableResult
    func control(_ path: String, _ body: Any? = nil, method: String = "POST") throws -> Any {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
        let response = try URLSessionTransport().send(HTTPRequest(method: method, url: Secret(endpoint + path),
                                                                  headers: ["Content-Type": Secret("application/json")], body: data))
        return (try? JSONSerialization.jsonObject(with: response.body, options: [.fragmentsAllowed])) ?? [:]
    }

    /// The recorded requests whose path contains `path` and whose JSON or multipart body mentions `text`.
    func requests(path: String, mentioning text: String = "") throws -> [[String: Any]] {
        let all = try control("/__requests", method: "GET") as? [[String: Any]] ?? []
        return all.filter { request in
            guard (request["path"] as? String ?? "").contains(path) else { return false }
            if text.isEmpty { return true }
            if let multipart = request["multipart"] as? String { return multipart.contains(text) }
            guard let body = request["body"], let data = try? JSONSerialization.data(withJSONObject: body) else {
                return (request["path"] as? String ?? "").contains(text)
            }
            return String(decoding: data, as: UTF8.self).contains(text) || String(decoding: data, as: UTF8.self)
                .replacingOccurrences(of: "\\/", with: "/").contains(text)
        }
    }

    func exchanges() throws -> Int {
        ((try control("/__stats", method: "GET") as? [String: Any])?["exchanges"] as? Int) ?? -1
    }
}

/// The pauses an adapter asked for (seconds), in order.
final class PauseLog: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Double] = []
    func add(_ value: Double) { lock.lock(); values.append(value); lock.unlock() }
    var all: [Double] { lock.lock(); defer { lock.unlock() }; return values }
}

struct TestSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension BigQueryAdapter {
    func scalar(_ sql: String) throws -> Cell? { try query(sql, limit: nil).rows.first?.first }
}
