import Foundation
import Synchronization

/// Runs a job's command as `opsflow <command> --project-dir <project>` in a child process: a
/// stateless run, as DESIGN.md wants (the scheduler only starts runs). The command is split on
/// whitespace (no shell, no quoting). The child finds the scheduler's run id in
/// `OPSFLOW_RUN_ID` (``InvocationRecorder/runIDVariable``) and adds its node results to that run.
///
/// The child starts through `posix_spawn` with an empty signal mask and default signal actions
/// (whatever thread starts it: Foundation's `Process` passes on the blocked mask of the thread
/// that calls it, and a child that never sees SIGTERM can only be killed), in a process group of
/// its own. A run past its timeout gets SIGTERM, then SIGKILL after `graceSeconds`, sent to that
/// whole group (so a job's own children stop too), and counts as exit 124 (coreutils `timeout`'s
/// code).
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
        let arguments = [executable] + command.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            + ["--project-dir", projectDir]
        var environment = ProcessInfo.processInfo.environment
        environment[InvocationRecorder.runIDVariable] = runID
        guard let pid = Self.spawn(executable, arguments: arguments, environment: environment) else { return 127 }
        let deadline = timeoutSeconds.map { Date().addingTimeInterval($0) }
        while true {
            if let status = Self.reap(pid) { return status }
            if let deadline, Date() > deadline {
                kill(-pid, SIGTERM)
                let killAt = Date().addingTimeInterval(graceSeconds)
                while Date() < killAt {
                    if Self.reap(pid) != nil { break }
                    Thread.sleep(forTimeInterval: pollSeconds)
                }
                // The group may outlive its leader (a child that ignored SIGTERM).
                kill(-pid, SIGKILL)
                _ = Self.reap(pid, wait: true)
                return 124
            }
            Thread.sleep(forTimeInterval: pollSeconds)
        }
    }

    /// Starts `path` with a clean signal state in a new process group; nil when it cannot start.
    static func spawn(_ path: String, arguments: [String], environment: [String: String]) -> pid_t? {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, nil, &attributes, argv, envp)
        return result == 0 ? pid : nil
    }

    /// The exit code once the child has ended (nil while it runs, unless `wait`).
    static func reap(_ pid: pid_t, wait: Bool = false) -> Int32? {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, wait ? 0 : WNOHANG)
            if result == 0 { return nil }
            if result == -1 {
                if errno == EINTR { continue }
                return 127   // not our child any more (reaped elsewhere)
            }
            break
        }
        let signal = status & 0x7f
        if signal == 0 { return (status >> 8) & 0xff }   // WIFEXITED → WEXITSTATUS
        return 128 + signal                               // WIFSIGNALED → WTERMSIG
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

    /// Starts listening for SIGTERM and SIGINT (process-wide), and unblocks them on the calling
    /// thread: a parent may have started us with them blocked (Foundation's `Process` passes on
    /// the mask of the thread that spawns).
    public func install() {
        var signals = sigset_t()
        sigemptyset(&signals)
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber) { _ in shutdownSignalled.store(true, ordering: .relaxed) }
            sigaddset(&signals, signalNumber)
        }
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
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
