import Foundation
@testable import Ops
import Testing

/// ProcessJobRunner with real child processes: a small shell script stands in for `opsflow` and
/// leaves its pid, the run id it was given and the signals it saw in the project folder. Bounds
/// are generous (a loaded 2-core machine): a job that sleeps 60 s must be stopped well before.
@Suite struct ProcessJobRunnerTests {
    /// `$1` picks the behaviour, `$2` its argument; `$3 $4` are `--project-dir <folder>`.
    static let script = """
        #!/bin/sh
        echo $$ > "$4/child.pid"
        printf '%s' "$OPSFLOW_RUN_ID" > "$4/run_id"
        case "$1" in
          polite) trap 'echo term > "$4/got_term"; exit 143' TERM; sleep "$2" & wait $! ;;
          stubborn) trap '' TERM; while :; do sleep 0.2; done ;;
          exit) exit "$2" ;;
        esac

        """

    struct Rig {
        let dir: TempDir
        let runner: ProcessJobRunner
        init(graceSeconds: Double) throws {
            dir = try TempDir()
            let path = try dir.write("job.sh", Self.scriptText)
            chmod(path, 0o755)
            var runner = ProcessJobRunner(executable: path, projectDir: dir.path)
            runner.graceSeconds = graceSeconds
            self.runner = runner
        }
        static var scriptText: String { ProcessJobRunnerTests.script }

        func file(_ name: String) -> String? {
            (try? String(contentsOfFile: dir.url.appendingPathComponent(name).path, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var childPID: pid_t? { file("child.pid").flatMap { pid_t($0) } }

        /// No process of the child's group is left (ESRCH from `kill(-pgid, 0)`).
        func groupIsGone() -> Bool {
            guard let pid = childPID else { return false }
            return kill(-pid, 0) == -1 && errno == ESRCH
        }
    }

    @Test func theExitCodeAndTheRunIDReachTheScheduler() throws {
        let rig = try Rig(graceSeconds: 5)
        #expect(rig.runner.run(job: "j", command: "exit 3", runID: "run-4f2a", timeoutSeconds: nil) == 3)
        #expect(rig.file("run_id") == "run-4f2a")
        #expect(rig.runner.run(job: "j", command: "exit 0", runID: "run-2", timeoutSeconds: 30) == 0)
        let missing = ProcessJobRunner(executable: rig.dir.url.appendingPathComponent("no-such-program").path, projectDir: rig.dir.path)
        #expect(missing.run(job: "j", command: "build", runID: "r", timeoutSeconds: nil) == 127)
    }

    @Test func aJobPastItsTimeoutGetsSIGTERMAndIsRecordedAsTimedOut() throws {
        let rig = try Rig(graceSeconds: 20)
        let clock = ManualClock(start: SchedulerTests.utc("2026-11-30T06:00:00Z"))
        let state = try StateStore(path: rig.dir.url.appendingPathComponent(".opsflow/state.sqlite").path)
        var job = JobConfig(cron: "0 6 * * *", command: "polite 60")
        job.timeoutSeconds = 1
        let scheduler = try Scheduler(jobs: ["slow": job], state: state, runner: rig.runner, clock: clock,
                                      lockDirectory: rig.dir.url.appendingPathComponent(".opsflow/locks").path)
        let started = Date()
        let made = try scheduler.tick()
        let seconds = Date().timeIntervalSince(started)
        #expect(made.map(\.status) == ["timeout"])
        #expect(made.first?.exitCode == 124)
        // Stopped by SIGTERM (its trap ran), long before its 60 s sleep and before the 20 s grace.
        #expect(rig.file("got_term") == "term")
        #expect(seconds < 20, "took \(seconds) s")
        // The shell's `sleep` got the signal too (it was sent to the group); orphans are reaped by init.
        #expect(try eventually(within: 10) { rig.groupIsGone() })
        let recorded = try #require(try state.runs(job: "slow").first)
        #expect(recorded.status == "timeout")
        #expect(recorded.exitCode == 124)
        #expect(recorded.summary?.contains("timeout of 1 s") == true)
        #expect(rig.file("run_id") == recorded.id)
    }

    @Test func aJobThatIgnoresSIGTERMIsKilledAfterTheGrace() throws {
        let rig = try Rig(graceSeconds: 1)
        let started = Date()
        let code = rig.runner.run(job: "stubborn", command: "stubborn 0", runID: "r", timeoutSeconds: 0.5)
        let seconds = Date().timeIntervalSince(started)
        #expect(code == 124)
        #expect(seconds >= 1.5, "SIGKILL came before the grace: \(seconds) s")
        #expect(seconds < 30, "took \(seconds) s")
        // The shell and its `sleep` children: the whole process group is gone.
        #expect(try eventually(within: 10) { rig.groupIsGone() })
    }
}
