import Foundation

/// The PostgreSQL 15 server these tests run translated SQL on: the one `scripts/test` started
/// (`OPSFLOW_PG_PORT`), or else a throw-away cluster started with `scripts/pg_start.sh` and
/// stopped at exit. Each test run gets its own database, so other suites on the same server are
/// not disturbed. SQL goes through `psql -X -A -t` (no libpq binding needed in this target).
enum PostgresServer {
    /// The port and database, or the reason there is no server.
    static let connection: Result<(port: Int, database: String), ServerError> = start()

    nonisolated(unsafe) static var startedDirectory: String?

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    private static func start() -> Result<(port: Int, database: String), ServerError> {
        var port: Int
        if let text = ProcessInfo.processInfo.environment["OPSFLOW_PG_PORT"], let value = Int(text) {
            port = value
        } else {
            let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("opsflow-sqlpg-start-\(UUID().uuidString).env").path
            let script = repositoryRoot.appendingPathComponent("scripts/pg_start.sh").path
            let status = system("'\(script)' > '\(outputPath)' 2>/dev/null < /dev/null")
            let data = FileManager.default.contents(atPath: outputPath) ?? Data()
            try? FileManager.default.removeItem(atPath: outputPath)
            var values: [String: String] = [:]
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { values[parts[0]] = parts[1] }
            }
            guard status == 0, let dir = values["OPSFLOW_PG_DIR"], let found = values["OPSFLOW_PG_PORT"].flatMap(Int.init) else {
                return .failure(ServerError(message: "scripts/pg_start.sh failed (status \(status))"))
            }
            port = found
            startedDirectory = dir
            atexit {
                guard let dir = PostgresServer.startedDirectory else { return }
                let stop = PostgresServer.repositoryRoot.appendingPathComponent("scripts/pg_stop.sh").path
                _ = system("'\(stop)' '\(dir)' >/dev/null 2>&1")
            }
        }
        let database = "sqlpg_\(UInt32.random(in: 0...UInt32.max))"
        let created = psql("CREATE DATABASE \(database)", port: port, database: "postgres")
        if case .failure(let error) = created { return .failure(ServerError(message: "CREATE DATABASE failed: \(error.message)")) }
        return .success((port, database))
    }

    /// Runs `sql` (one or more statements) and returns the rows of the last one, each row's
    /// fields as text (nil for NULL), or the server's error message.
    static func run(_ sql: String) -> Result<[[String?]], ServerError> {
        switch connection {
        case .failure(let error): return .failure(error)
        case .success(let c): return psql(sql, port: c.port, database: c.database)
        }
    }

    /// Field, record and NULL markers that cannot occur in the test data.
    static let fieldSeparator = "\u{1F}", recordSeparator = "\u{1E}", nullMarker = "\u{2}NULL"

    private static func psql(_ sql: String, port: Int, database: String) -> Result<[[String?]], ServerError> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres",
                             "-d", database, "-F", fieldSeparator, "-R", recordSeparator, "-P", "null=\(nullMarker)", "-f", "-"]
        var environment = ProcessInfo.processInfo.environment
        // BigQuery's time zone: the translated SQL expects UTC sessions.
        environment["PGTZ"] = "UTC"
        environment["PGOPTIONS"] = "-c statement_timeout=20000"
        process.environment = environment
        // The SQL goes in as a file and the errors come back in one: writing to a psql that has
        // already exited (a refused connection) would kill this process with SIGPIPE.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("opsflow-psql-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            try Data((sql + ";\n").utf8).write(to: scratch.appendingPathComponent("in.sql"))
            FileManager.default.createFile(atPath: scratch.appendingPathComponent("err").path, contents: nil)
        } catch {
            return .failure(ServerError(message: "could not write the psql input: \(error)"))
        }
        if let index = process.arguments?.lastIndex(of: "-") { process.arguments?[index] = scratch.appendingPathComponent("in.sql").path }
        let output = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        guard let errorFile = try? FileHandle(forWritingTo: scratch.appendingPathComponent("err")) else {
            return .failure(ServerError(message: "could not open the psql error file"))
        }
        process.standardError = errorFile
        do {
            try process.run()
        } catch {
            return .failure(ServerError(message: "psql did not start: \(error)"))
        }
        let out = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? errorFile.close()
        let err = (try? Data(contentsOf: scratch.appendingPathComponent("err"))) ?? Data()
        guard process.terminationStatus == 0 else {
            return .failure(ServerError(message: String(decoding: err, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        var text = String(decoding: out, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        if text.isEmpty { return .success([]) }
        let rows = text.components(separatedBy: recordSeparator).filter { !$0.isEmpty }.map { record in
            record.components(separatedBy: fieldSeparator).map { $0 == nullMarker ? nil : $0 }
        }
        return .success(rows)
    }
}

struct ServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
