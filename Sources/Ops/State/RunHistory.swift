import Foundation
import GRDB

/// One recorded run (a load, a sync, a build, a scheduled job attempt).
public struct RunRecord: Sendable, Hashable, Codable {
    public var id: String
    /// `load`, `sync`, `build` (an interactive `build`/`run`/`test`/`seed`), `job` (a scheduled attempt), `sensor`.
    public var kind: String
    public var job: String?
    public var command: String
    public var target: String?
    public var scheduledFor: Date?
    public var startedAt: Date
    public var endedAt: Date?
    /// `running`, `success`, `error`, `interrupted`, `skipped`, `timeout`.
    public var status: String
    public var exitCode: Int32?
    public var attempt: Int
    public var pid: Int32?
    public var summary: String?
    /// The folder holding the run's artifacts (a copy of its `run_results.json`).
    public var artifactsDir: String?
    /// The `metadata.invocation_id` of the build this run recorded, when it ran nodes.
    public var invocationID: String?

    public init(id: String = UUID().uuidString.lowercased(), kind: String, job: String? = nil, command: String,
                target: String? = nil, scheduledFor: Date? = nil, startedAt: Date, status: String = "running",
                attempt: Int = 1, pid: Int32? = ProcessInfo.processInfo.processIdentifier) {
        self.id = id
        self.kind = kind
        self.job = job
        self.command = command
        self.target = target
        self.scheduledFor = scheduledFor
        self.startedAt = startedAt
        self.status = status
        self.attempt = attempt
        self.pid = pid
    }
}

/// A node's result within a recorded run (a `results[]` entry of dbt's `run_results.json`).
public struct RunNodeRecord: Sendable, Hashable, Codable {
    public var uniqueId: String
    /// dbt's node status: `success`, `error`, `skipped`, `pass`, `fail`, `warn`, `runtime error`.
    public var status: String
    public var message: String?
    /// Tests: the failing rows counted.
    public var failures: Int?
    /// Seconds.
    public var executionTime: Double?
    /// The `execute` timing of the node, when it ran.
    public var startedAt: Date?
    public var completedAt: Date?

    public init(uniqueId: String, status: String, message: String? = nil, failures: Int? = nil, executionTime: Double? = nil,
                startedAt: Date? = nil, completedAt: Date? = nil) {
        self.uniqueId = uniqueId
        self.status = status
        self.message = message
        self.failures = failures
        self.executionTime = executionTime
        self.startedAt = startedAt
        self.completedAt = completedAt
    }
}

extension StateStore {
    /// Records a run as started.
    public func startRun(_ run: RunRecord) throws {
        try write { db in try Self.insert(run, db) }
    }

    /// Records how a run ended, with its nodes' results. A nil `artifactsDir` keeps the folder
    /// recorded earlier (a scheduled job's child process records its own artifacts).
    public func finishRun(id: String, endedAt: Date, status: String, exitCode: Int32?, summary: String?,
                          artifactsDir: String? = nil, nodes: [RunNodeRecord] = []) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE runs SET ended_at = ?, status = ?, exit_code = ?, summary = coalesce(?, summary),
                       artifacts_dir = coalesce(?, artifacts_dir) WHERE id = ?
                """, arguments: [Self.timestamp(endedAt), status, exitCode, summary, artifactsDir, id])
            try Self.insert(nodes, run: id, db)
        }
    }

    /// Records a finished run and its nodes in one transaction (an interactive build records
    /// itself this way when it ends).
    public func recordRun(_ run: RunRecord, nodes: [RunNodeRecord]) throws {
        try write { db in
            try Self.insert(run, db)
            try Self.insert(nodes, run: run.id, db)
        }
    }

    /// Adds the outcome of the build a run started — its invocation id, artifacts folder and node
    /// results — to a run recorded by someone else (the scheduler records a job's attempt; the
    /// child process that did the work adds its nodes). Status and times stay the recorder's.
    /// - Throws: ``OpsError`` `.notFound` when no run has this id.
    public func attachInvocation(runID: String, invocationID: String?, artifactsDir: String?, nodes: [RunNodeRecord]) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE runs SET invocation_id = coalesce(?, invocation_id), artifacts_dir = coalesce(?, artifacts_dir) WHERE id = ?
                """, arguments: [invocationID, artifactsDir, runID])
            guard db.changesCount > 0 else { throw OpsError(.notFound, "the state database has no run \(runID)") }
            try Self.insert(nodes, run: runID, db)
        }
    }

    /// The most recent runs first.
    /// - Parameters:
    ///   - limit: at most this many.
    ///   - job: only this job's (or sync's) runs.
    public func runs(limit: Int = 20, job: String? = nil) throws -> [RunRecord] {
        try read { db in
            var sql = "SELECT * FROM runs"
            var arguments: StatementArguments = []
            if let job { sql += " WHERE job = ?"; arguments += [job] }
            sql += " ORDER BY started_at DESC, rowid DESC LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.runRecord)
        }
    }

    /// The run with this id, or the run that recorded the invocation with this id.
    public func run(id: String) throws -> RunRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ? OR invocation_id = ? ORDER BY id = ? DESC LIMIT 1",
                             arguments: [id, id, id]).map(Self.runRecord)
        }
    }

    /// The run whose id (or recorded invocation id) starts with `prefix`, when exactly one does.
    public func run(prefix: String) throws -> RunRecord? {
        guard !prefix.isEmpty else { return nil }
        return try read { db in
            let pattern = prefix.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%"
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM runs WHERE id LIKE ? ESCAPE '\\' OR invocation_id LIKE ? ESCAPE '\\' LIMIT 2
                """, arguments: [pattern, pattern])
            return rows.count == 1 ? rows.first.map(Self.runRecord) : nil
        }
    }

    /// The node results of one run, in the order they started (then by id).
    public func nodes(ofRun id: String) throws -> [RunNodeRecord] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM run_nodes WHERE run_id = ? ORDER BY started_at IS NULL, started_at, unique_id
                """, arguments: [id]).map { row in
                RunNodeRecord(uniqueId: row["unique_id"], status: row["status"], message: row["message"],
                              failures: row["failures"], executionTime: row["execution_time"],
                              startedAt: (row["started_at"] as String?).flatMap(Self.date),
                              completedAt: (row["completed_at"] as String?).flatMap(Self.date))
            }
        }
    }

    /// Runs still marked `running` (for crash recovery).
    public func runningRuns(job: String? = nil) throws -> [RunRecord] {
        try read { db in
            var sql = "SELECT * FROM runs WHERE status = 'running'"
            var arguments: StatementArguments = []
            if let job { sql += " AND job = ?"; arguments += [job] }
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.runRecord)
        }
    }

    static func insert(_ run: RunRecord, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO runs (id, kind, job, command, target, scheduled_for, started_at, ended_at, status, exit_code,
                              attempt, pid, summary, artifacts_dir, invocation_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [run.id, run.kind, run.job, run.command, run.target, run.scheduledFor.map(Self.timestamp),
                             Self.timestamp(run.startedAt), run.endedAt.map(Self.timestamp), run.status, run.exitCode,
                             run.attempt, run.pid, run.summary, run.artifactsDir, run.invocationID])
    }

    static func insert(_ nodes: [RunNodeRecord], run id: String, _ db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO run_nodes (run_id, unique_id, status, message, failures, execution_time, started_at, completed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for node in nodes {
            try statement.execute(arguments: [id, node.uniqueId, node.status, node.message, node.failures, node.executionTime,
                                              node.startedAt.map(Self.timestamp), node.completedAt.map(Self.timestamp)])
        }
    }

    static func runRecord(_ row: Row) -> RunRecord {
        var record = RunRecord(id: row["id"], kind: row["kind"], job: row["job"], command: row["command"], target: row["target"],
                               scheduledFor: (row["scheduled_for"] as String?).flatMap(date),
                               startedAt: date(row["started_at"]) ?? Date(timeIntervalSince1970: 0),
                               status: row["status"], attempt: row["attempt"], pid: row["pid"])
        record.endedAt = (row["ended_at"] as String?).flatMap(date)
        record.exitCode = row["exit_code"]
        record.summary = row["summary"]
        record.artifactsDir = row["artifacts_dir"]
        record.invocationID = row["invocation_id"]
        return record
    }
}
