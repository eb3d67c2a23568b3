import Foundation

/// Round trips to the server and the time spent waiting for them, over every connection of one
/// adapter: what the server (and the wire) cost, as opposed to the engine's own work.
///
/// Time is measured on the client around each round trip (send → last result), so it includes
/// the loopback latency and the server's work but none of the engine's. The race benchmark
/// (`bench/pg_race.sh`) subtracts it from the wall time to get the per-node overhead.
///
/// `@unchecked Sendable`: `lock` guards the counters.
public final class StatementStatistics: @unchecked Sendable {
    private let lock = NSLock()
    private var trips = 0
    private var nanoseconds: UInt64 = 0

    public init() {}

    /// Round trips so far (a multi-statement string is one).
    public var roundTrips: Int {
        lock.lock(); defer { lock.unlock() }
        return trips
    }

    /// Seconds spent waiting for the server so far, summed over connections (with several
    /// threads this can exceed the wall time).
    public var seconds: Double {
        lock.lock(); defer { lock.unlock() }
        return Double(nanoseconds) / 1e9
    }

    func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    func record(since start: UInt64) {
        let elapsed = DispatchTime.now().uptimeNanoseconds &- start
        lock.lock()
        trips += 1
        nanoseconds &+= elapsed
        lock.unlock()
    }

    /// Appends one JSON line `{"round_trips": …, "statement_seconds": …}` to the file named by
    /// the environment variable `OPSFLOW_PG_STATS_FILE`, when it is set (for the benchmark; a
    /// file that cannot be written is ignored: statistics never fail a run).
    func appendToStatsFile() {
        guard let path = ProcessInfo.processInfo.environment["OPSFLOW_PG_STATS_FILE"], !path.isEmpty else { return }
        let line = "{\"round_trips\": \(roundTrips), \"statement_seconds\": \(String(format: "%.6f", seconds))}\n"
        guard let file = fopen(path, "a") else { return }
        defer { fclose(file) }
        _ = fputs(line, file)
    }
}
