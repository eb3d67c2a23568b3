import Foundation
import GRDB

/// One recorded run (a load, a sync, a build, a scheduled job attempt).
public struct RunRecord: Sendable, Hashable, Codable {
    public var id: String
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
    public var artifactsDir: String?

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

/// A node's result within a recorded run.
public struct RunNodeRecord: Sendable, Hashable {
    public var uniqueId: String
    public var status: String
    public var message: String?
    public var failures: Int?
    public var executionTime: Double?

    public init(uniqueId: String, status: String, message: String? = nil, failures: Int? = nil, executionTime: Double? = nil) {
        self.uniqueId = uniqueId
        self.status = status
        self.message = message
        self.failures = failures
        self.executionTime = executionTime
    }
}

extension StateStore {
    /// Records a run as started.
    public func startRun(_ run: RunRecord) throws {
        try write { db in
            try db.execute(sql: """
                INSERT INTO runs (id, kind, job, command, target, scheduled_for, started_at, status, attempt, pid)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [run.id, run.kind, run.job, run.command, run.target,
                                 run.scheduledFor.map(Self.timestamp), Self.timestamp(run.startedAt), run.status, run.attempt, run.pid])
        }
    }

    /// Records how a run ended, with its nodes' results.
    public func finishRun(id: String, endedAt: Date, status: String, exitCode: Int32?, summary: String?,
                          artifactsDir: String? = nil, nodes: [RunNodeRecord] = []) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE runs SET ended_at = ?, status = ?, exit_code = ?, summary = ?, artifacts_dir = ? WHERE id = ?
                """, arguments: [Self.timestamp(endedAt), status, exitCode, summary, artifactsDir, id])
            for node in nodes {
                try db.execute(sql: """
                    INSERT OR REPLACE INTO run_nodes (run_id, unique_id, status, message, failures, execution_time)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [id, node.uniqueId, node.status, node.message, node.failures, node.executionTime])
            }
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

    /// The node results of one run, in id order.
    public func nodes(ofRun id: String) throws -> [RunNodeRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM run_nodes WHERE run_id = ? ORDER BY unique_id", arguments: [id]).map { row in
                RunNodeRecord(uniqueId: row["unique_id"], status: row["status"], message: row["message"],
                              failures: row["failures"], executionTime: row["execution_time"])
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

    static func runRecord(_ row: Row) -> RunRecord {
        var record = RunRecord(id: row["id"], kind: row["kind"], job: row["job"], command: row["command"], target: row["target"],
                               scheduledFor: (row["scheduled_for"] as String?).flatMap(date),
                               startedAt: date(row["started_at"]) ?? Date(timeIntervalSince1970: 0),
                               status: row["status"], attempt: row["attempt"], pid: row["pid"])
        record.endedAt = (row["ended_at"] as String?).flatMap(date)
        record.exitCode = row["exit_code"]
        record.summary = row["summary"]
        record.artifactsDir = row["artifacts_dir"]
        return record
    }
}
