import Foundation
import Synchronization

/// Runs a job's command as `opsflow <command> --project-dir <project>` in a child process: a
/// stateless run, as DESIGN.md wants (the scheduler only starts runs). The command is split on
/// whitespace (no shell, no quoting). The child finds the scheduler's run id in
/// `OPSFLOW_RUN_ID` (``InvocationRecorder/runIDVariable``) and adds its node results to that run.
/// A run past its timeout gets SIGTERM, then SIGKILL after `graceSeconds`, and counts as exit 124
/// (coreutils `timeout`'s code).
public struct ProcessJobRunner: JobRunner {
    public var executable: String
    public var projectDir: String
    /// Seconds between SIGTERM and SIGKILL for a run past its timeout.
    public var graceSeconds: Double = 10
    /// Seconds between two looks at the child.
    public var pollSeconds: Double = 0.1

    public init(executable: String, projectDir: String) {
        self.executable = executable
        self.projectDir = projectDir
    }

    /// - Returns: the child's exit code; 124 when it was stopped at its timeout; 127 when it could
    ///   not be started; 128 + the signal's number when a signal ended it (a shell's convention).
    public func run(job: String, command: String, runID: String, timeoutSeconds: Double?) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = command.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) + ["--project-dir", projectDir]
        var environment = ProcessInfo.processInfo.environment
        environment[InvocationRecorder.runIDVariable] = runID
        process.environment = environment
        do { try process.run() } catch { return 127 }
        let deadline = timeoutSeconds.map { Date().addingTimeInterval($0) }
        while process.isRunning {
            if let deadline, Date() > deadline {
                process.terminate()
                let killAt = Date().addingTimeInterval(graceSeconds)
                while process.isRunning, Date() < killAt { Thread.sleep(forTimeInterval: pollSeconds) }
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                process.waitUntilExit()
                return 124
            }
            Thread.sleep(forTimeInterval: pollSeconds)
        }
        process.waitUntilExit()
        if process.terminationReason == .uncaughtSignal { return 128 + process.terminationStatus }
        return process.terminationStatus
    }
}

/// Set by the signal handler; a lock-free atomic is safe to store from one.
private let shutdownSignalled = Atomic<Bool>(false)

/// A flag set by SIGTERM/SIGINT: the scheduler finishes the run in flight, then stops.
///
/// The signals get a handler, not `SIG_IGN`: a caught signal goes back to its default action in a
/// child at `exec`, an ignored one stays ignored, and a job's child must still stop on SIGTERM
/// (its timeout, or an operator's `kill`).
public final class ShutdownFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false

    public init() {}

    /// Starts listening for SIGTERM and SIGINT (process-wide).
    public func install() {
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber) { _ in shutdownSignalled.store(true, ordering: .relaxed) }
        }
    }

    public func raise() { lock.lock(); raised = true; lock.unlock() }

    public var isRaised: Bool {
        lock.lock(); defer { lock.unlock() }
        return raised || shutdownSignalled.load(ordering: .relaxed)
    }
}

extension OpsCommands {
    /// `opsflow schedule`: runs the jobs of `opsflow.yml` until SIGTERM/SIGINT. Each tick runs
    /// what is due; a signal lets the run in flight finish, then the loop ends (exit 0). On start,
    /// runs left `running` by a scheduler that died (kill -9, a power cut) are marked `interrupted`.
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
            let flag = ShutdownFlag()
            flag.install()
            try scheduler.recoverCrashedRuns()
            say("Scheduler started with \(config.jobs.count) job(s): \(config.jobs.keys.sorted().joined(separator: ", "))")
            while !flag.isRaised {
                try scheduler.tick(shouldStop: { flag.isRaised })
                if once { break }
                var waited = 0.0
                while waited < tickSeconds, !flag.isRaised { Thread.sleep(forTimeInterval: 0.1); waited += 0.1 }
            }
            say("Scheduler stopped.")
            return 0
        } catch {
            return fail(error)
        }
    }
}
