import Foundation
import Warehouse
import WarehousePostgres

/// The PostgreSQL server the tests use: the one `scripts/test` started (`OPSFLOW_PG_PORT`), or
/// else a throw-away cluster started here with `scripts/pg_start.sh` and stopped at exit.
enum TestCluster {
    /// The port, or the reason there is no server.
    static let port: Result<Int, TestClusterError> = start()

    nonisolated(unsafe) static var startedDirectory: String?

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    private static func start() -> Result<Int, TestClusterError> {
        if let text = ProcessInfo.processInfo.environment["OPSFLOW_PG_PORT"], let port = Int(text) {
            return .success(port)
        }
        // `system`, not Foundation's `Process`: the server inherits the script's descriptors, and
        // `Process` never saw the script end while the server held them.
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("opsflow-pg-start-\(UUID().uuidString).env").path
        let script = repositoryRoot.appendingPathComponent("scripts/pg_start.sh").path
        let status = system("'\(script)' > '\(outputPath)' 2>/dev/null < /dev/null")
        let data = FileManager.default.contents(atPath: outputPath) ?? Data()
        try? FileManager.default.removeItem(atPath: outputPath)
        var values: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { values[parts[0]] = parts[1] }
        }
        guard status == 0, let dir = values["OPSFLOW_PG_DIR"], let port = values["OPSFLOW_PG_PORT"].flatMap(Int.init) else {
            return .failure(TestClusterError(message: "scripts/pg_start.sh failed (status \(status))"))
        }
        startedDirectory = dir
        atexit {
            guard let dir = TestCluster.startedDirectory else { return }
            let stop = TestCluster.repositoryRoot.appendingPathComponent("scripts/pg_stop.sh").path
            _ = system("'\(stop)' '\(dir)' >/dev/null 2>&1")
        }
        return .success(port)
    }

    /// Profile settings for the test server (database `postgres`, trust auth).
    static func settings(schema: String = "dev") throws -> [String: String] {
        let port = try port.get()
        return ["type": "postgres", "host": "127.0.0.1", "port": String(port), "user": "postgres", "password": "unused",
                "dbname": "postgres", "schema": schema, "threads": "4"]
    }

    static func adapter(schema: String = "dev") throws -> PostgresAdapter {
        try PostgresAdapter(settings: settings(schema: schema))
    }
}

struct TestClusterError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

extension PostgresAdapter {
    func scalar(_ sql: String) throws -> Cell? {
        try query(sql, limit: nil).rows.first?.first
    }
}
