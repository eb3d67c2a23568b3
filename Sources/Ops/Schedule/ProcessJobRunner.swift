import Foundation

/// Runs a job's command as `opsflow <command> --project-dir <project>` in a child process: a
/// stateless run, as DESIGN.md wants (the scheduler only starts runs). The command is split on
/// whitespace (no shell, no quoting). A run past its timeout gets SIGTERM, then SIGKILL after
/// `graceSeconds`, and counts as exit 124 (coreutils `timeout`'s code).
public struct ProcessJobRunner: JobRunner {
    public var executable: String
    public var projectDir: String
    public var graceSeconds: Double = 10

    public init(executable: String, projectDir: String) {
        self.executable = executable
        self.projectDir = projectDir
    }

    public func run(job: String, command: String, timeoutSeconds: Double?) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = command.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) + ["--project-dir", projectDir]
        do { try process.run() } catch { return 127 }
        let deadline = timeoutSeconds.map { Date().addingTimeInterval($0) }
        while process.isRunning {
            if let deadline, Date() > deadline {
                process.terminate()
                let killAt = Date().addingTimeInterval(graceSeconds)
                while process.isRunning, Date() < killAt { Thread.sleep(forTimeInterval: 0.1) }
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                process.waitUntilExit()
                return 124
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return process.terminationStatus
    }
}

/// A flag set by SIGTERM/SIGINT: the scheduler finishes the run in flight, then stops.
public final class ShutdownFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    private var sources: [DispatchSourceSignal] = []

    public init() {}

    /// Starts listening for SIGTERM and SIGINT.
    public func install() {
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [weak self] in self?.raise() }
            source.resume()
            sources.append(source)
        }
    }

    public func raise() { lock.lock(); raised = true; lock.unlock() }

    public var isRaised: Bool { lock.lock(); defer { lock.unlock() }; return raised }
}

extension OpsCommands {
    /// `opsflow schedule`: runs the jobs of `opsflow.yml` until SIGTERM/SIGINT. Each tick runs
    /// what is due; a signal lets the run in flight finish, then the loop ends (exit 0).
    public static func schedule(projectDir: String?, executable: String, tickSeconds: Double = 5, once: Bool = false) -> Int32 {
        do {
            let root = URL(fileURLWithPath: projectDir ?? FileManager.default.currentDirectoryPath).standardizedFileURL.path
            let config = try OpsConfig.load(projectDir: root)
            if config.jobs.isEmpty { say("No jobs declared in opsflow.yml."); return 0 }
            let statePath = StateStore.defaultPath(projectDir: root)
            let state = try StateStore(path: statePath)
            let scheduler = try Scheduler(jobs: config.jobs, state: state, runner: ProcessJobRunner(executable: executable, projectDir: root),
                                          clock: SystemClock(), lockDirectory: (statePath as NSString).deletingLastPathComponent + "/locks",
                                          log: { say($0) })
            try scheduler.recoverCrashedRuns()
            let flag = ShutdownFlag()
            flag.install()
            say("Scheduler started with \(config.jobs.count) job(s): \(config.jobs.keys.sorted().joined(separator: ", "))")
            while !flag.isRaised {
                try scheduler.tick()
                if once { break }
                var waited = 0.0
                while waited < tickSeconds, !flag.isRaised { Thread.sleep(forTimeInterval: 0.2); waited += 0.2 }
            }
            say("Scheduler stopped.")
            return 0
        } catch {
            return fail(error)
        }
    }
}
