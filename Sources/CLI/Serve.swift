import ArgumentParser
import Foundation
import Ops
import Project
import Web

/// `opsflow serve`: lineage, docs, runs and dashboards over HTTP on 127.0.0.1.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the lineage, docs, runs and dashboards of a project (http://127.0.0.1:8580/).")

    @OptionGroup var common: CommonOptions

    @Option(help: "The TCP port.")
    var port: Int = 8580

    @Option(help: "The address to bind; keep 127.0.0.1 unless a proxy in front adds TLS and auth.")
    var host: String = "127.0.0.1"

    @Option(help: "Require this access token (?token=… once, then a cookie). Default: OPSFLOW_SERVE_TOKEN.")
    var token: String?

    @Option(name: .customLong("row-limit"), help: "Rows a dashboard card reads at most.")
    var rowLimit: Int = 5_000

    @Option(name: .customLong("query-timeout"), help: "Seconds a dashboard query may run.")
    var queryTimeout: Double = 5

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0…65535, not \(port).") }
        guard rowLimit >= 1 else { throw ValidationError("--row-limit must be at least 1.") }
        guard queryTimeout > 0 else { throw ValidationError("--query-timeout must be positive.") }
    }

    func run() throws {
        // A parent may start us with termination signals blocked (Foundation's Process does so
        // from some threads); a server must still stop on SIGTERM and Ctrl-C.
        var signals = sigset_t()
        sigemptyset(&signals)
        for signal in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&signals, signal) }
        sigprocmask(SIG_UNBLOCK, &signals, nil)
        var config = try WebSetup.config(common)
        config.accessToken = token ?? ProcessInfo.processInfo.environment["OPSFLOW_SERVE_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        config.limits = QueryLimits(maxRows: rowLimit, timeout: queryTimeout)
        let server = try WebServer(app: WebApp(config: config), host: host, port: UInt16(port))
        let semaphore = DispatchSemaphore(value: 0)
        let failure = FailureBox()
        let started = Task {
            do { try await server.run() } catch { failure.set("\(error)") }
            semaphore.signal()
        }
        Task {
            try? await server.waitUntilListening()
            let bound = await server.port() ?? UInt16(port)
            let line = "Serving \(config.projectDir) at http://\(host):\(bound)/" + (config.accessToken == nil ? "" : "?token=…")
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
        _ = started
        semaphore.wait()
        if let message = failure.message {
            // Not a usage error (a port in use, say): the message and exit code 2, no usage text.
            FileHandle.standardError.write(Data("opsflow serve: the server stopped: \(message)\n".utf8))
            throw ExitCode(2)
        }
    }
}

/// Collects a background error for the main thread (set once, read after the wait).
final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: String?
    func set(_ message: String) { lock.lock(); value = message; lock.unlock() }
    var message: String? { lock.lock(); defer { lock.unlock() }; return value }
}

/// Finds what the Web module reads: the project's target folder and, for the embedded SQLite
/// warehouse, its file (opened read-only; the same path rule as ``AdapterRegistry``).
enum WebSetup {
    static func config(_ common: CommonOptions) throws -> WebConfig {
        let projectDir = URL(fileURLWithPath: common.projectDir ?? FileManager.default.currentDirectoryPath).standardizedFileURL.path
        let project: DbtProject
        do { project = try DbtProject.load(projectDir: projectDir) } catch {
            throw ValidationError("cannot read \(projectDir)/dbt_project.yml: \(error)")
        }
        let targetDir = URL(fileURLWithPath: projectDir).appendingPathComponent(project.targetPath).path
        var warehouse: (any ReadOnlyWarehouse)?
        if let profiles = try? ProfilesFile.locate(profilesDir: common.profilesDir, projectDir: projectDir),
           let target = try? profiles.target(profile: project.profile ?? project.name, target: common.target),
           target.type == "sqlite" {
            let file = target["path"]?.asString ?? target["database"]?.asString ?? "opsflow.sqlite"
            let path = file.hasPrefix("/") ? file : URL(fileURLWithPath: projectDir).appendingPathComponent(file).path
            warehouse = LazySQLiteWarehouse(path: path)
        }
        // Run history: the state database's builds and jobs merged with run_results.json.
        let history = StateDatabaseRunHistory(statePath: StateStore.defaultPath(projectDir: projectDir),
                                              file: RunResultsFileHistory(path: targetDir + "/run_results.json"))
        return WebConfig(projectDir: projectDir, targetDir: targetDir, warehouse: warehouse, history: history)
    }
}
