import Foundation
import HTTPClient
import Project
import GRDB
import Warehouse

/// What one sync run did, in rows.
public struct SyncReport: Sendable, Hashable {
    public var name: String
    /// Rows acknowledged by the destination this run (resent batches included).
    public var sent = 0
    /// Rows whose payload equals the one last acknowledged: not sent.
    public var unchanged = 0
    /// Rows in batches that kept failing: recorded, resent by the next run.
    public var failed = 0
    /// Keys deleted at the destination (mirror mode).
    public var deleted = 0
    /// Of `sent` + `deleted`, rows from batches left over by an earlier run.
    public var resent = 0
    public var dryRun = false

    public var summary: String {
        "\(dryRun ? "would send" : "sent") \(sent), unchanged \(unchanged), failed \(failed), \(dryRun ? "would delete" : "deleted") \(deleted)"
            + (resent > 0 ? " (\(resent) resent from an earlier run)" : "")
    }
}

/// A sync destination: receives batches. A small protocol so that the engine's bookkeeping is
/// tested apart from HTTP, and so other destinations (a queue, a file) can follow.
public protocol SyncDestination: Sendable {
    /// Applies one batch; must be idempotent for a repeated `idempotencyKey`.
    /// - Throws: ``HTTPError`` (or any error) when the batch was not acknowledged.
    func apply(_ batch: SyncBatch, onRetry: (Int, HTTPError, Double) -> Void) throws
}

/// One batch as it is sent.
public struct SyncBatch: Sendable, Hashable {
    public enum Operation: String, Sendable { case upsert, delete }
    public var sync: String
    public var operation: Operation
    /// Stable across every retry and every resend of this batch.
    public var idempotencyKey: String
    public var rows: [SyncRow]

    /// The request body: `{"sync": …, "operation": "upsert", "rows": [payload…]}`, or for deletes
    /// `{"sync": …, "operation": "delete", "keys": [{pk: value…}…]}`. Built from stored texts, so a
    /// resend carries the very same bytes.
    public var body: Data {
        var text = "{\"sync\":" + JSONValue.quote(sync) + ",\"operation\":\"" + operation.rawValue + "\","
        switch operation {
        case .upsert: text += "\"rows\":[" + rows.map(\.payload).joined(separator: ",") + "]}"
        case .delete: text += "\"keys\":[" + rows.map(\.keyObject).joined(separator: ",") + "]}"
        }
        return Data(text.utf8)
    }
}

/// A row of a sync: its primary key, the payload sent, and the payload's hash.
public struct SyncRow: Sendable, Hashable, Codable {
    /// The primary key values as a JSON array (the state's row key).
    public var key: String
    /// The key as a JSON object of the destination's key fields (for deletes).
    public var keyObject: String
    /// SHA-256 of `payload`.
    public var hash: String
    /// The mapped row as compact JSON with sorted keys.
    public var payload: String
}

/// Sends batches as JSON `POST`s with an `Idempotency-Key` header, through a ``RetryingSender``.
public struct HTTPSyncDestination: SyncDestination {
    public var url: Secret
    public var headers: [String: Secret]
    public var timeoutSeconds: Double
    public var sender: RetryingSender

    public init(url: Secret, headers: [String: Secret], timeoutSeconds: Double, sender: RetryingSender) {
        self.url = url
        self.headers = headers
        self.timeoutSeconds = timeoutSeconds
        self.sender = sender
    }

    public func apply(_ batch: SyncBatch, onRetry: (Int, HTTPError, Double) -> Void) throws {
        var all = headers
        all["Content-Type"] = Secret("application/json")
        all["Idempotency-Key"] = Secret(batch.idempotencyKey)
        _ = try sender.send(HTTPRequest(method: "POST", url: url, headers: all, body: batch.body, timeoutSeconds: timeoutSeconds), onRetry: onRetry)
    }
}

/// Reverse ETL: pushes a model's rows to a destination, sending only what changed since the last
/// acknowledged state.
///
/// Guarantees ("nothing lost, nothing doubled"):
/// - a batch is written to the state's outbox, with a fresh idempotency key, *before* it is sent;
///   it leaves the outbox only in the transaction that records its rows as synced. A batch whose
///   answer never came (timeout, dropped connection, crash) or that kept failing is resent by the
///   next run with the same key and bytes, so a destination that deduplicates by key applies it once;
/// - rows are compared by the hash of the payload actually sent, so a changed field mapping resends.
public final class SyncEngine: @unchecked Sendable {
    let name: String
    let config: SyncConfig
    let relation: Relation
    let adapter: any Adapter
    let state: StateStore
    let targetName: String
    let destination: any SyncDestination
    let clock: any OpsClock
    let log: (String) -> Void
    let redactor: Redactor
    /// Rows read from the model per page (memory is about one page plus one batch); at least 2.
    public let pageRows: Int

    public init(name: String, config: SyncConfig, relation: Relation, adapter: any Adapter, state: StateStore,
                targetName: String, destination: any SyncDestination, clock: any OpsClock = SystemClock(),
                redactor: Redactor = Redactor(), pageRows: Int = 20_000, log: @escaping (String) -> Void = { _ in }) {
        self.pageRows = pageRows
        self.name = name
        self.config = config
        self.relation = relation
        self.adapter = adapter
        self.state = state
        self.targetName = targetName
        self.destination = destination
        self.clock = clock
        self.redactor = redactor
        self.log = log
    }

    /// Builds the HTTP destination of a sync from its configuration and the environment.
    /// - Throws: ``OpsError`` `.config` when the URL's variable or a header's variable is unset.
    public static func httpDestination(_ config: SyncConfig, environment: [String: String], transport: any HTTPTransport,
                                       clock: any OpsClock) throws -> (HTTPSyncDestination, Redactor) {
        let url = try Secret.fromEnvironment(config.urlEnv, environment: environment)
        var redactor = Redactor([url])
        var headers: [String: Secret] = [:]
        for (header, template) in config.headers {
            let value = try Self.interpolate(template, environment: environment)
            headers[header] = value
            redactor.add(value)
        }
        for (_, template) in config.headers {
            for variable in Self.variables(in: template) {
                if let value = environment[variable] { redactor.add(Secret(value)) }
            }
        }
        let sender = RetryingSender(transport: transport, policy: config.retry.policy, clock: clock,
                                    rateLimitPerSecond: config.rateLimitPerSecond)
        return (HTTPSyncDestination(url: url, headers: headers, timeoutSeconds: config.timeoutSeconds, sender: sender), redactor)
    }

    static func variables(in template: String) -> [String] {
        var names: [String] = []
        var rest = Substring(template)
        while let start = rest.range(of: "${"), let end = rest[start.upperBound...].firstIndex(of: "}") {
            names.append(String(rest[start.upperBound..<end]))
            rest = rest[rest.index(after: end)...]
        }
        return names
    }

    /// `${VAR}` replaced by the environment's values.
    static func interpolate(_ template: String, environment: [String: String]) throws -> Secret {
        var out = template
        for variable in variables(in: template) {
            out = out.replacingOccurrences(of: "${\(variable)}", with: try Secret.fromEnvironment(variable, environment: environment).reveal())
        }
        return Secret(out)
    }

    /// Runs the sync once.
    ///
    /// The model is read in pages of ``pageRows`` rows in primary-key order, each page starting
    /// at the last key of the one before (keyset pagination: no `OFFSET` rescans, no transaction
    /// held on the warehouse, see ``diff(pendingHashes:emit:)``); each page is compared with the
    /// acknowledged state and changed rows go to the outbox a batch at a time. Memory stays at
    /// about one page and one batch whatever the model's size: the keys seen so far, for deletes
    /// and the uniqueness check, are kept in a temporary table of the state database. Batches
    /// are sent after the read, from the outbox, one at a time.
    /// - Parameter dryRun: compute and print what would be sent; send nothing, change no state.
    /// - Returns: the counts. `failed > 0` means some batches are waiting in the outbox.
    /// - Throws: ``OpsError`` when the model lacks a key or mapped column, or its key repeats or
    ///   is NULL; `WarehouseError`; state errors. None of this run's new batches is sent then.
    public func run(dryRun: Bool = false) throws -> SyncReport {
        var report = SyncReport(name: name, dryRun: dryRun)
        // 1. Batches left over by earlier runs go first, with their own keys and bytes.
        var pendingHashes: [String: String] = [:]
        for key in try outboxKeys() {
            guard let batch = try outboxBatch(key) else { continue }
            if dryRun {
                log("[dry-run] \(name): would resend \(batch.operation.rawValue) batch \(batch.idempotencyKey) (\(batch.rows.count) rows)")
                // What the destination would hold once the leftover is resent.
                if batch.operation == .upsert { for row in batch.rows { pendingHashes[row.key] = row.hash } }
                continue
            }
            if send(batch, report: &report) { report.resent += batch.rows.count }
        }
        // 2. The difference between the model and the acknowledged state, into the outbox.
        var enqueued: [String] = []
        let diffed: Int
        do {
            diffed = try diff(pendingHashes: pendingHashes) { operation, rows in
            if dryRun {
                log("[dry-run] \(name): would \(operation == .upsert ? "send" : "delete") \(rows.count) rows")
                for row in rows.prefix(3) { log("  " + (operation == .upsert ? row.payload : row.keyObject)) }
                if operation == .upsert { report.sent += rows.count } else { report.deleted += rows.count }
                return
            }
            let batch = SyncBatch(sync: name, operation: operation, idempotencyKey: UUID().uuidString.lowercased(), rows: rows)
            try enqueue(batch)
            enqueued.append(batch.idempotencyKey)
            }
        } catch {
            // Nothing of this run was sent yet: a model that fails half-way (a repeated key, a
            // warehouse error) leaves no batch behind for the next run to resend.
            try? discard(enqueued)
            throw error
        }
        report.unchanged += diffed
        // 3. This run's batches, one at a time from the outbox.
        for key in enqueued {
            guard let batch = try outboxBatch(key) else { continue }
            _ = send(batch, report: &report)
        }
        return report
    }

    // MARK: - JSON

    /// A row key (a JSON array) as the object of the destination's key fields.
    static func keyObject(_ key: String, fields: [String]) -> String {
        guard let values = try? JSONDecoder().decode([JSONValue].self, from: Data(key.utf8)) else { return "{}" }
        return "{" + zip(fields, values).sorted { $0.0 < $1.0 }.map { JSONValue.quote($0.0) + ":" + $0.1.json }.joined(separator: ",") + "}"
    }

    /// A warehouse cell as JSON.
    static func json(_ cell: Cell) -> String {
        switch cell {
        case .null: return "null"
        case .integer(let value): return String(value)
        case .real(let value): return value.isFinite ? (value == value.rounded() && abs(value) < 1e15 ? String(format: "%.1f", value) : String(value)) : "null"
        case .text(let value): return JSONValue.quote(value)
        case .bool(let value): return value ? "true" : "false"
        case .blob(let bytes): return JSONValue.quote(Data(bytes).base64EncodedString())
        }
    }

    // MARK: - State

    /// The outbox's batch keys in the order they were made.
    func outboxKeys() throws -> [String] {
        try state.read { db in
            try String.fetchAll(db, sql: "SELECT idempotency_key FROM sync_outbox WHERE target = ? AND sync = ? ORDER BY seq",
                                arguments: [targetName, name])
        }
    }

    /// One outbox batch with its rows (read when it is sent, so one batch is in memory at a time).
    func outboxBatch(_ key: String) throws -> SyncBatch? {
        try state.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT operation, rows FROM sync_outbox WHERE target = ? AND sync = ? AND idempotency_key = ?
                """, arguments: [targetName, name, key]) else { return nil }
            let rows = try JSONDecoder().decode([SyncRow].self, from: Data((row["rows"] as String).utf8))
            return SyncBatch(sync: name, operation: SyncBatch.Operation(rawValue: row["operation"]) ?? .upsert,
                             idempotencyKey: key, rows: rows)
        }
    }

    /// Removes unsent batches of this run from the outbox.
    func discard(_ keys: [String]) throws {
        try state.write { db in
            for key in keys {
                try db.execute(sql: "DELETE FROM sync_outbox WHERE target = ? AND sync = ? AND idempotency_key = ?",
                               arguments: [targetName, name, key])
            }
        }
    }

    func enqueue(_ batch: SyncBatch) throws {
        let rows = String(decoding: try JSONEncoder().encode(batch.rows), as: UTF8.self)
        let now = StateStore.timestamp(clock.now)
        try state.write { db in
            let seq = try Int.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) + 1 FROM sync_outbox") ?? 1
            try db.execute(sql: """
                INSERT INTO sync_outbox (target, sync, idempotency_key, seq, operation, rows, status, attempts, created_at)
                VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?)
                """, arguments: [targetName, name, batch.idempotencyKey, seq, batch.operation.rawValue, rows, now])
        }
    }

    /// Sends one batch; on success records its rows and removes it from the outbox in one
    /// transaction, on failure marks it failed. Returns whether it was acknowledged.
    func send(_ batch: SyncBatch, report: inout SyncReport) -> Bool {
        var attempts = 1
        do {
            try destination.apply(batch) { attempt, error, delay in
                attempts = attempt + 1
                log(redactor.redact("\(name): batch \(batch.idempotencyKey.prefix(8)) attempt \(attempt) failed (\(error.message)); retrying in "
                                    + String(format: "%.2fs", delay)))
            }
        } catch {
            let message = redactor.redact(String(describing: error))
            log("\(name): batch \(batch.idempotencyKey.prefix(8)) (\(batch.rows.count) rows) failed: \(message); kept for the next run")
            try? state.write { db in
                try db.execute(sql: """
                    UPDATE sync_outbox SET status = 'failed', attempts = attempts + ?, last_error = ?
                    WHERE target = ? AND sync = ? AND idempotency_key = ?
                    """, arguments: [attempts, message, targetName, name, batch.idempotencyKey])
            }
            report.failed += batch.rows.count
            return false
        }
        let now = StateStore.timestamp(clock.now)
        do {
            try state.write { db in
                for row in batch.rows {
                    switch batch.operation {
                    case .upsert:
                        try db.execute(sql: """
                            INSERT OR REPLACE INTO sync_rows (target, sync, row_key, row_hash, synced_at) VALUES (?, ?, ?, ?, ?)
                            """, arguments: [targetName, name, row.key, row.hash, now])
                    case .delete:
                        try db.execute(sql: "DELETE FROM sync_rows WHERE target = ? AND sync = ? AND row_key = ?",
                                       arguments: [targetName, name, row.key])
                    }
                }
                try db.execute(sql: "DELETE FROM sync_outbox WHERE target = ? AND sync = ? AND idempotency_key = ?",
                               arguments: [targetName, name, batch.idempotencyKey])
            }
        } catch {
            // Acknowledged but not recorded: the batch stays in the outbox and is resent with the
            // same key, which the destination deduplicates.
            log("\(name): batch \(batch.idempotencyKey.prefix(8)) acknowledged but the state could not be saved: \(error)")
            report.failed += batch.rows.count
            return false
        }
        switch batch.operation {
        case .upsert: report.sent += batch.rows.count
        case .delete: report.deleted += batch.rows.count
        }
        log("\(name): \(batch.operation == .upsert ? "sent" : "deleted") \(batch.rows.count) rows (batch \(batch.idempotencyKey.prefix(8)))")
        return true
    }
}
