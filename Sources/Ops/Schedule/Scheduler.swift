import Foundation
import GRDB

/// Runs one attempt of a job's command. A small protocol: the CLI runs `opsflow <command>` as a
/// child process; tests record calls.
public protocol JobRunner: Sendable {
    /// Runs the command and returns its exit code (124 when it was stopped at its timeout).
    /// - Parameters:
    ///   - runID: the state database's run of this attempt; the work may add its node results to it
    ///     (``InvocationRecorder``).
    ///   - timeoutSeconds: nil means no limit.
    func run(job: String, command: String, runID: String, timeoutSeconds: Double?) -> Int32
}

/// An exclusive lock per job that a crash releases: `flock` on `<state dir>/locks/<job>.lock`,
/// which the kernel drops when the holding process dies, so a crashed run never blocks the next.
public final class JobLock: @unchecked Sendable {
    let fd: Int32

    /// Takes the lock or returns nil when another process (or run) holds it.
    public static func acquire(directory: String, job: String) -> JobLock? {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = URL(fileURLWithPath: directory).appendingPathComponent(job + ".lock").path
        // Close-on-exec: a job's child process must not inherit the lock, or a child orphaned by a
        // crashed scheduler would keep the job locked until it ends.
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return nil }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { close(fd); return nil }
        return JobLock(fd: fd)
    }

    init(fd: Int32) { self.fd = fd }

    /// Releases the lock (also done when the value goes away).
    public func release() { flock(fd, LOCK_UN) }

    deinit { flock(fd, LOCK_UN); close(fd) }
}

/// The scheduler's decisions: which jobs are due at an instant, with the missed-run policy,
/// no overlap, retries with back-off, and every attempt recorded in the state database.
///
/// `tick(now:)` is the whole loop body; `opsflow schedule` calls it every few seconds with the
/// wall clock, tests with a ``ManualClock``.
public final class Scheduler: @unchecked Sendable {
    public let jobs: [String: JobConfig]
    let crons: [String: CronExpression]
    let state: StateStore
    let runner: any JobRunner
    let clock: any OpsClock
    let lockDirectory: String
    let log: (String) -> Void

    /// - Throws: ``OpsError`` `.config` for a bad cron or time zone.
    public init(jobs: [String: JobConfig], state: StateStore, runner: any JobRunner, clock: any OpsClock,
                lockDirectory: String, log: @escaping (String) -> Void = { _ in }) throws {
        self.jobs = jobs
        var crons: [String: CronExpression] = [:]
        for (name, job) in jobs { crons[name] = try CronExpression(job.cron, timeZone: job.timezone) }
        self.crons = crons
        self.state = state
        self.runner = runner
        self.clock = clock
        self.lockDirectory = lockDirectory
        self.log = log
    }

    /// Marks runs left `running` by a crashed scheduler as `interrupted` (their lock is free: the
    /// process that held it is gone). Returns their ids.
    @discardableResult
    public func recoverCrashedRuns() throws -> [String] {
        var recovered: [String] = []
        for run in try state.runningRuns() where run.kind == "job" {
            guard let job = run.job, let lock = JobLock.acquire(directory: lockDirectory, job: job) else { continue }
            try state.finishRun(id: run.id, endedAt: clock.now, status: "interrupted", exitCode: nil,
                                summary: "the scheduler stopped during this run; found on restart")
            lock.release()
            recovered.append(run.id)
            log("Run \(run.id) of \(job) was interrupted by a crash; marked interrupted")
        }
        return recovered
    }

    /// The instants due for a job at `now`: nothing before its first tick (the job starts from
    /// `now`), the latest missed instant once under `catch_up_once`, none under `skip` unless the
    /// instant is the current minute.
    func due(_ name: String, now: Date) throws -> Date? {
        guard let cron = crons[name], let job = jobs[name] else { return nil }
        let last = try state.read { db in
            try String.fetchOne(db, sql: "SELECT last_scheduled_for FROM job_state WHERE job = ?", arguments: [name])
        }.flatMap(StateStore.date)
        guard let last else {
            // First sight of the job: schedule from now on.
            try remember(name, now.addingTimeInterval(-60))
            return try due(name, now: now)
        }
        var instants: [Date] = []
        var cursor = last
        while let next = cron.next(after: cursor), next <= now {
            instants.append(next)
            cursor = next
            if instants.count > 10_000 { break }
        }
        guard let latest = instants.last else { return nil }
        try remember(name, latest)
        let isCurrent = now.timeIntervalSince(latest) < 60
        if instants.count > 1 || !isCurrent {
            switch job.missed {
            case .skip:
                log("\(name): skipped \(isCurrent ? instants.count - 1 : instants.count) missed run(s) (missed: skip)")
                return isCurrent ? latest : nil
            case .catchUpOnce:
                log("\(name): catching up once for \(instants.count) missed instant(s)")
                return latest
            }
        }
        return latest
    }

    func remember(_ name: String, _ instant: Date) throws {
        try state.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO job_state (job, last_scheduled_for) VALUES (?, ?)",
                           arguments: [name, StateStore.timestamp(instant)])
        }
    }

    /// Runs every job due at the clock's current instant (in name order), each under its lock,
    /// with its retries. Returns the run records made.
    /// - Parameter shouldStop: asked before each job and each retry; once true (SIGTERM), the run
    ///   in flight is the last one and no further job or retry starts.
    @discardableResult
    public func tick(shouldStop: () -> Bool = { false }) throws -> [RunRecord] {
        var made: [RunRecord] = []
        for name in jobs.keys.sorted() {
            if shouldStop() { break }
            guard let job = jobs[name], let instant = try due(name, now: clock.now) else { continue }
            guard let lock = JobLock.acquire(directory: lockDirectory, job: name) else {
                log("\(name): the previous run still holds the lock; this run is skipped")
                var record = RunRecord(kind: "job", job: name, command: job.command, scheduledFor: instant, startedAt: clock.now, status: "skipped")
                record.summary = "overlap: the previous run was still running"
                try state.startRun(record)
                made.append(record)
                continue
            }
            defer { lock.release() }
            for attempt in 1...(job.retries + 1) {
                var record = RunRecord(kind: "job", job: name, command: job.command, scheduledFor: instant,
                                       startedAt: clock.now, attempt: attempt)
                try state.startRun(record)
                log("\(name): attempt \(attempt) of `\(job.command)` for \(StateStore.timestamp(instant))")
                let code = runner.run(job: name, command: job.command, runID: record.id, timeoutSeconds: job.timeoutSeconds)
                let status = code == 0 ? "success" : (code == 124 ? "timeout" : "error")
                // The child added its node results to this run (InvocationRecorder); count them.
                let counts = RunResultsSummary(nodes: (try? state.nodes(ofRun: record.id)) ?? []).counts
                var parts = counts.isEmpty ? [] : [counts]
                if code == 124 { parts.append("stopped after the timeout of \(job.timeoutSeconds.map { String(format: "%g", $0) } ?? "?") s") }
                let summary = parts.isEmpty ? nil : parts.joined(separator: "; ")
                try state.finishRun(id: record.id, endedAt: clock.now, status: status, exitCode: code, summary: summary)
                record.status = status
                record.exitCode = code
                made.append(record)
                if code == 0 { break }
                if attempt <= job.retries, shouldStop() {
                    log("\(name): attempt \(attempt) failed (exit \(code)); not retried: the scheduler is stopping")
                    break
                }
                if attempt <= job.retries {
                    let delay = job.retryDelaySeconds * pow(2, Double(attempt - 1))
                    log("\(name): attempt \(attempt) failed (exit \(code)); retrying in \(delay)s")
                    clock.sleep(seconds: delay)
                }
            }
        }
        return made
    }
}
