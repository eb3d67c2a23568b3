import Foundation
import GRDB

/// OpsFlow's own state: run history, the load ledger's copy, sync checkpoints and failed batches,
/// sent alerts, scheduler job state. One SQLite file (WAL), independent of the warehouse so that
/// it works with any target.
///
/// It lives at `<project>/.opsflow/state.sqlite`, not under `target/`: `opsflow clean` deletes the
/// target path (dbt's `clean-targets`), and sync checkpoints and run history must outlive it.
/// Rows carry the profile target's name where state differs per target.
///
/// Tables come from named, ordered migrations (GRDB's `DatabaseMigrator`): a database written by
/// an older OpsFlow is upgraded in place, and a migration never runs twice.
///
/// A `DatabaseQueue` serialises every access, which makes the store safe to share between threads.
public final class StateStore: Sendable {
    public let path: String
    let queue: DatabaseQueue

    /// Opens (creating if needed) the state database and applies pending migrations.
    /// - Parameters:
    ///   - path: the database file.
    ///   - busyTimeoutSeconds: how long a statement waits for another process's write lock before
    ///     it fails (seconds). Recorders that must never hold up a build pass a short one.
    /// - Throws: ``OpsError`` `.state` when the file cannot be opened or migrated.
    public init(path: String, busyTimeoutSeconds: Double = 10) throws {
        self.path = path
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(busyTimeoutSeconds)
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL")
            }
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrate(queue, path: path)
        } catch let error as OpsError {
            throw error
        } catch {
            throw OpsError(.state, "cannot open the state database \(path): \(error)")
        }
    }

    /// The state file of a project: `<project>/.opsflow/state.sqlite`.
    public static func defaultPath(projectDir: String) -> String {
        URL(fileURLWithPath: projectDir).appendingPathComponent(".opsflow/state.sqlite").path
    }

    /// Applies pending migrations under an exclusive `flock` on `<path>.migrate.lock`: the
    /// scheduler, a job's child and the dashboard may open a new (or older) database at the same
    /// moment, and GRDB's migrator reads what is applied outside the transaction that applies it.
    static func migrate(_ queue: DatabaseQueue, path: String) throws {
        if try queue.read({ try migrator.hasCompletedMigrations($0) }) { return }
        let fd = open(path + ".migrate.lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OpsError(.state, "cannot create \(path).migrate.lock (errno \(errno))") }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw OpsError(.state, "cannot lock \(path).migrate.lock (errno \(errno))") }
        }
        defer { flock(fd, LOCK_UN) }
        try migrator.migrate(queue)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 run history") { db in
            try db.execute(sql: """
                CREATE TABLE runs (
                    id TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,            -- load | sync | build | job | sensor
                    job TEXT,                      -- the scheduler job or sync name
                    command TEXT NOT NULL,
                    target TEXT,
                    scheduled_for TEXT,            -- ISO 8601, the cron instant a job run is for
                    started_at TEXT NOT NULL,
                    ended_at TEXT,
                    status TEXT NOT NULL,          -- running | success | error | interrupted | skipped | timeout
                    exit_code INTEGER,
                    attempt INTEGER NOT NULL DEFAULT 1,
                    pid INTEGER,
                    summary TEXT,
                    artifacts_dir TEXT
                );
                CREATE INDEX runs_by_job ON runs(job, started_at);
                CREATE TABLE run_nodes (
                    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    unique_id TEXT NOT NULL,
                    status TEXT NOT NULL,
                    message TEXT,
                    failures INTEGER,
                    execution_time REAL,
                    PRIMARY KEY (run_id, unique_id)
                );
                """)
        }
        migrator.registerMigration("v1 load ledger") { db in
            try db.execute(sql: """
                CREATE TABLE load_ledger (
                    target TEXT NOT NULL,
                    source TEXT NOT NULL,          -- source_name.table_name
                    content_hash TEXT NOT NULL,    -- SHA-256 of the file's bytes
                    file_name TEXT NOT NULL,
                    loaded_rows INTEGER NOT NULL,
                    quarantined_rows INTEGER NOT NULL,
                    loaded_at TEXT NOT NULL,
                    run_id TEXT,
                    PRIMARY KEY (target, source, content_hash)
                );
                """)
        }
        migrator.registerMigration("v1 sync state") { db in
            try db.execute(sql: """
                CREATE TABLE sync_rows (
                    target TEXT NOT NULL,
                    sync TEXT NOT NULL,
                    row_key TEXT NOT NULL,         -- the primary key values as a JSON array
                    row_hash TEXT NOT NULL,        -- SHA-256 of the payload last acknowledged
                    synced_at TEXT NOT NULL,
                    PRIMARY KEY (target, sync, row_key)
                );
                -- Batches written before they are sent (an outbox): a batch whose answer never came,
                -- or that kept failing, is resent by the next run with the same idempotency key.
                CREATE TABLE sync_outbox (
                    target TEXT NOT NULL,
                    sync TEXT NOT NULL,
                    idempotency_key TEXT NOT NULL,
                    seq INTEGER NOT NULL,          -- creation order, resent in this order
                    operation TEXT NOT NULL,       -- upsert | delete
                    rows TEXT NOT NULL,            -- JSON array of {key, hash, payload}
                    status TEXT NOT NULL,          -- pending | failed
                    attempts INTEGER NOT NULL,
                    last_error TEXT,
                    created_at TEXT NOT NULL,
                    PRIMARY KEY (target, sync, idempotency_key)
                );
                """)
        }
        migrator.registerMigration("v1 alerts") { db in
            try db.execute(sql: """
                CREATE TABLE alerts_sent (
                    alert_key TEXT NOT NULL,       -- run id, or sensor + day
                    channel TEXT NOT NULL,
                    sent_at TEXT NOT NULL,
                    attempts INTEGER NOT NULL,
                    PRIMARY KEY (alert_key, channel)
                );
                CREATE TABLE alert_failures (
                    alert_key TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    failed_at TEXT NOT NULL,
                    error TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v1 scheduler") { db in
            try db.execute(sql: """
                CREATE TABLE job_state (
                    job TEXT PRIMARY KEY,
                    last_scheduled_for TEXT NOT NULL  -- the last cron instant handled (run or skipped)
                );
                """)
        }
        migrator.registerMigration("v2 run details") { db in
            // The invocation id of the build a run recorded (run_results.json's
            // `metadata.invocation_id`), so that a history merged from both shows a build once;
            // node timings, for the dashboard's timeline.
            try db.execute(sql: """
                ALTER TABLE runs ADD COLUMN invocation_id TEXT;
                CREATE INDEX runs_by_invocation ON runs(invocation_id);
                ALTER TABLE run_nodes ADD COLUMN started_at TEXT;
                ALTER TABLE run_nodes ADD COLUMN completed_at TEXT;
                """)
        }
        return migrator
    }

    /// Runs `body` in a write transaction.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try queue.write(body) } catch let error as OpsError { throw error } catch {
            throw OpsError(.state, "state database: \(error)")
        }
    }

    /// Runs `body` for reading.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try queue.read(body) } catch let error as OpsError { throw error } catch {
            throw OpsError(.state, "state database: \(error)")
        }
    }

    /// ISO 8601 UTC with milliseconds, the one timestamp format of the state database.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }
}
