import Foundation
@testable import Ops
import Testing

/// The scheduler with an injected clock: a day passes in microseconds. Cron expectations follow
/// crontab(5); the São Paulo offset (UTC−3, no daylight saving since 2019) is from the IANA database.
@Suite struct SchedulerTests {
    static func utc(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: text) ?? Date(timeIntervalSince1970: 0)
    }

    final class RecordingRunner: JobRunner, @unchecked Sendable {
        private let lock = NSLock()
        private var codes: [Int32]
        private(set) var calls: [String] = []
        init(codes: [Int32] = []) { self.codes = codes }
        func run(job: String, command: String, runID: String, timeoutSeconds: Double?) -> Int32 {
            lock.lock(); defer { lock.unlock() }
            calls.append(command)
            return codes.isEmpty ? 0 : codes.removeFirst()
        }
    }

    func scheduler(_ jobs: [String: JobConfig], clock: ManualClock, runner: RecordingRunner, dir: TempDir) throws -> (Scheduler, StateStore) {
        let state = try StateStore(path: dir.url.appendingPathComponent(".opsflow/state.sqlite").path)
        let scheduler = try Scheduler(jobs: jobs, state: state, runner: runner, clock: clock,
                                      lockDirectory: dir.url.appendingPathComponent(".opsflow/locks").path)
        return (scheduler, state)
    }

    @Test func cronNextFollowsCrontab() throws {
        let daily = try CronExpression("0 6 * * *")
        #expect(daily.next(after: Self.utc("2026-11-30T05:59:00Z")) == Self.utc("2026-11-30T06:00:00Z"))
        #expect(daily.next(after: Self.utc("2026-11-30T06:00:00Z")) == Self.utc("2026-12-01T06:00:00Z"))
        let saoPaulo = try CronExpression("0 6 * * *", timeZone: "America/Sao_Paulo")
        #expect(saoPaulo.next(after: Self.utc("2026-11-30T00:00:00Z")) == Self.utc("2026-11-30T09:00:00Z"))
        // 2026-11-28 is a Saturday: the next weekday slot is Monday 09:00.
        let office = try CronExpression("*/15 9-17 * * 1-5")
        #expect(office.next(after: Self.utc("2026-11-28T12:00:00Z")) == Self.utc("2026-11-30T09:00:00Z"))
        #expect(office.next(after: Self.utc("2026-11-30T09:00:00Z")) == Self.utc("2026-11-30T09:15:00Z"))
        // Both day fields restricted: either matches (the 1st, or a Sunday; 2026-11-29 is a Sunday).
        let either = try CronExpression("0 0 1 * 0")
        #expect(either.next(after: Self.utc("2026-11-20T00:00:00Z")) == Self.utc("2026-11-22T00:00:00Z"))
        #expect(throws: OpsError.self) { try CronExpression("61 * * * *") }
        #expect(throws: OpsError.self) { try CronExpression("0 6 * *") }
        #expect(throws: OpsError.self) { try CronExpression("0 6 * * *", timeZone: "Mars/Olympus") }
    }

    @Test func aDailyJobRunsOnceAtItsMinute() throws {
        let dir = try TempDir()
        let clock = ManualClock(start: Self.utc("2026-11-30T05:58:00Z"))
        let runner = RecordingRunner()
        let (scheduler, state) = try scheduler(["daily_build": JobConfig(cron: "0 6 * * *", command: "build")], clock: clock, runner: runner, dir: dir)
        #expect(try scheduler.tick().isEmpty)
        clock.advance(seconds: 130)   // 06:00:10
        #expect(try scheduler.tick().map(\.status) == ["success"])
        clock.advance(seconds: 20)    // the same minute again
        #expect(try scheduler.tick().isEmpty)
        clock.advance(seconds: 86_400)
        #expect(try scheduler.tick().count == 1)
        #expect(runner.calls == ["build", "build"])
        let runs = try state.runs(job: "daily_build")
        #expect(runs.map(\.scheduledFor) == [Self.utc("2026-12-01T06:00:00Z"), Self.utc("2026-11-30T06:00:00Z")])
    }

    @Test func missedRunsAreSkippedOrCaughtUpOnce() throws {
        let dir = try TempDir()
        let clock = ManualClock(start: Self.utc("2026-11-30T05:00:00Z"))
        let runner = RecordingRunner()
        var skip = JobConfig(cron: "0 6 * * *", command: "build skip")
        skip.missed = .skip
        var catchUp = JobConfig(cron: "0 6 * * *", command: "build catch-up")
        catchUp.missed = .catchUpOnce
        let (scheduler, _) = try scheduler(["a_skip": skip, "b_catch_up": catchUp], clock: clock, runner: runner, dir: dir)
        #expect(try scheduler.tick().isEmpty)
        clock.advance(seconds: 3 * 86_400 + 3 * 3600)   // down for three days; back at 08:00
        let made = try scheduler.tick()
        #expect(made.map(\.job) == ["b_catch_up"])
        #expect(made.first?.scheduledFor == Self.utc("2026-12-03T06:00:00Z"))
        #expect(try scheduler.tick().isEmpty)
        #expect(runner.calls == ["build catch-up"])
    }

    @Test func aFailedAttemptIsRetriedWithBackOff() throws {
        let dir = try TempDir()
        let clock = ManualClock(start: Self.utc("2026-11-30T05:59:30Z"))
        let runner = RecordingRunner(codes: [1, 1, 0])
        var job = JobConfig(cron: "0 6 * * *", command: "build")
        job.retries = 3
        job.retryDelaySeconds = 30
        let (scheduler, _) = try scheduler(["daily": job], clock: clock, runner: runner, dir: dir)
        _ = try scheduler.tick()
        clock.advance(seconds: 31)
        let made = try scheduler.tick()
        #expect(made.map(\.status) == ["error", "error", "success"])
        #expect(made.map(\.attempt) == [1, 2, 3])
        #expect(clock.sleeps == [30, 60])
    }

    @Test func twoRunsOfAJobNeverOverlap() throws {
        let dir = try TempDir()
        let clock = ManualClock(start: Self.utc("2026-11-30T05:59:30Z"))
        let runner = RecordingRunner()
        let (scheduler, _) = try scheduler(["daily": JobConfig(cron: "0 6 * * *", command: "build")], clock: clock, runner: runner, dir: dir)
        _ = try scheduler.tick()
        // Another scheduler (or a long previous run) holds the job's lock.
        let held = try #require(JobLock.acquire(directory: dir.url.appendingPathComponent(".opsflow/locks").path, job: "daily"))
        clock.advance(seconds: 31)
        #expect(try scheduler.tick().map(\.status) == ["skipped"])
        #expect(runner.calls.isEmpty)
        held.release()
    }

    @Test func aRunLeftRunningByACrashIsMarkedInterruptedOnRestart() throws {
        let dir = try TempDir()
        let clock = ManualClock(start: Self.utc("2026-11-30T06:00:00Z"))
        let runner = RecordingRunner()
        let (scheduler, state) = try scheduler(["daily": JobConfig(cron: "0 6 * * *", command: "build")], clock: clock, runner: runner, dir: dir)
        let crashed = RunRecord(kind: "job", job: "daily", command: "build", startedAt: clock.now)
        try state.startRun(crashed)
        #expect(try scheduler.recoverCrashedRuns() == [crashed.id])
        #expect(try state.runs(job: "daily").first?.status == "interrupted")
        // A run whose lock is still held (alive elsewhere) is left alone.
        let alive = RunRecord(kind: "job", job: "daily", command: "build", startedAt: clock.now)
        try state.startRun(alive)
        let held = try #require(JobLock.acquire(directory: dir.url.appendingPathComponent(".opsflow/locks").path, job: "daily"))
        #expect(try scheduler.recoverCrashedRuns().isEmpty)
        held.release()
    }
}
