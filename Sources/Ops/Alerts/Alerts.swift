import Foundation
import HTTPClient
import GRDB

/// What went wrong in a run, as an alert tells it.
public struct BuildAlert: Sendable, Hashable {
    public struct FailedNode: Sendable, Hashable {
        public var uniqueId: String
        /// `error`, `fail` or `warn`.
        public var status: String
        public var message: String?
        /// Failing rows of a data test.
        public var failures: Int?
        /// A few failing rows, each as `column=value` pairs.
        public var sampleRows: [String] = []

        public init(uniqueId: String, status: String, message: String? = nil, failures: Int? = nil, sampleRows: [String] = []) {
            self.uniqueId = uniqueId
            self.status = status
            self.message = message
            self.failures = failures
            self.sampleRows = sampleRows
        }
    }

    public var project: String
    public var target: String
    /// The invocation id: the key that keeps one run from alerting twice.
    public var runId: String
    public var durationSeconds: Double
    public var nodes: [FailedNode]

    public init(project: String, target: String, runId: String, durationSeconds: Double, nodes: [FailedNode]) {
        self.project = project
        self.target = target
        self.runId = runId
        self.durationSeconds = durationSeconds
        self.nodes = nodes
    }

    /// The alert of a `run_results.json` (dbt's v6 schema), keeping nodes whose status is in `statuses`;
    /// nil when there is none.
    /// - Throws: ``OpsError`` `.io` when the file cannot be read or is not run results.
    public static func fromRunResults(path: String, project: String, target: String,
                                      statuses: Set<String> = ["error", "fail"]) throws -> BuildAlert? {
        guard let data = FileManager.default.contents(atPath: path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let results = object["results"] as? [[String: Any]] else {
            throw OpsError(.io, "cannot read run results", file: path)
        }
        let metadata = object["metadata"] as? [String: Any]
        let runId = metadata?["invocation_id"] as? String ?? "unknown"
        let elapsed = object["elapsed_time"] as? Double ?? 0
        let nodes = results.compactMap { result -> FailedNode? in
            guard let id = result["unique_id"] as? String, let status = result["status"] as? String, statuses.contains(status) else { return nil }
            return FailedNode(uniqueId: id, status: status, message: result["message"] as? String,
                              failures: (result["failures"] as? NSNumber)?.intValue)
        }
        return nodes.isEmpty ? nil : BuildAlert(project: project, target: target, runId: runId, durationSeconds: elapsed, nodes: nodes)
    }

    /// The readable text: project, target, failed nodes, failing rows, samples, duration, run id.
    public var text: String {
        var lines = ["OpsFlow run failed: \(project) on target \(target)"]
        for node in nodes {
            var line = "• \(node.status.uppercased()) \(node.uniqueId)"
            if let failures = node.failures, failures > 0 { line += " — \(failures) failing row\(failures == 1 ? "" : "s")" }
            if let message = node.message, !message.isEmpty { line += ": \(message)" }
            lines.append(line)
            for sample in node.sampleRows { lines.append("    \(sample)") }
        }
        lines.append(String(format: "Duration %.1fs · run id %@", durationSeconds, runId))
        return lines.joined(separator: "\n")
    }
}

/// A channel alerts go to. Small on purpose: Slack, a JSON webhook, and test sinks conform.
public protocol AlertSink: Sendable {
    /// A stable name for the sent-alerts record (`slack`, `webhook`).
    var channel: String { get }
    /// Delivers one alert (with the sink's own retries).
    /// - Throws: when delivery failed for good.
    func deliver(_ alert: BuildAlert) throws
}

/// A Slack incoming webhook: `{"text": …}` (https://api.slack.com/messaging/webhooks).
public struct SlackWebhookSink: AlertSink {
    public var url: Secret
    public var sender: RetryingSender
    public var channel: String { "slack" }

    public init(url: Secret, sender: RetryingSender) {
        self.url = url
        self.sender = sender
    }

    public func deliver(_ alert: BuildAlert) throws {
        let body = try JSONSerialization.data(withJSONObject: ["text": alert.text], options: [.sortedKeys])
        _ = try sender.send(HTTPRequest(method: "POST", url: url, headers: ["Content-Type": Secret("application/json")], body: body, timeoutSeconds: 10))
    }
}

/// A generic JSON webhook: the alert's fields as a JSON object, with `Idempotency-Key` = run id.
public struct JSONWebhookSink: AlertSink {
    public var url: Secret
    public var sender: RetryingSender
    public var channel: String { "webhook" }

    public init(url: Secret, sender: RetryingSender) {
        self.url = url
        self.sender = sender
    }

    public func deliver(_ alert: BuildAlert) throws {
        let nodes: [[String: Any]] = alert.nodes.map { node in
            var out: [String: Any] = ["unique_id": node.uniqueId, "status": node.status, "sample_rows": node.sampleRows]
            if let message = node.message { out["message"] = message }
            if let failures = node.failures { out["failures"] = failures }
            return out
        }
        let object: [String: Any] = ["project": alert.project, "target": alert.target, "run_id": alert.runId,
                                     "duration_seconds": alert.durationSeconds, "nodes": nodes, "text": alert.text]
        let body = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        let headers = ["Content-Type": Secret("application/json"), "Idempotency-Key": Secret(alert.runId)]
        _ = try sender.send(HTTPRequest(method: "POST", url: url, headers: headers, body: body, timeoutSeconds: 10))
    }
}

/// Sends an alert to every sink once per run: a channel that already has the run's alert is
/// skipped; a delivery failure is logged and recorded (redacted) and never thrown — alerts must
/// not fail the build they report on.
public struct AlertDispatcher: Sendable {
    public var sinks: [any AlertSink]
    public var state: StateStore
    public var clock: any OpsClock
    public var redactor: Redactor
    public var log: @Sendable (String) -> Void

    public init(sinks: [any AlertSink], state: StateStore, clock: any OpsClock = SystemClock(), redactor: Redactor = Redactor(),
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.sinks = sinks
        self.state = state
        self.clock = clock
        self.redactor = redactor
        self.log = log
    }

    /// Builds the sinks configured in `opsflow.yml` from the environment.
    public static func sinks(_ config: AlertConfig, environment: [String: String], transport: any HTTPTransport,
                             clock: any OpsClock) throws -> ([any AlertSink], Redactor) {
        var sinks: [any AlertSink] = []
        var redactor = Redactor()
        let sender = RetryingSender(transport: transport, policy: config.retry.policy, clock: clock)
        if let name = config.slackWebhookEnv {
            let url = try Secret.fromEnvironment(name, environment: environment)
            redactor.add(url)
            sinks.append(SlackWebhookSink(url: url, sender: sender))
        }
        if let name = config.webhookUrlEnv {
            let url = try Secret.fromEnvironment(name, environment: environment)
            redactor.add(url)
            sinks.append(JSONWebhookSink(url: url, sender: sender))
        }
        return (sinks, redactor)
    }

    /// Delivers `alert` to each sink that has not had it. Returns the channels it reached this time.
    @discardableResult
    public func dispatch(_ alert: BuildAlert) -> [String] {
        var reached: [String] = []
        for sink in sinks {
            let already = (try? state.read { db in
                try Bool.fetchOne(db, sql: "SELECT 1 FROM alerts_sent WHERE alert_key = ? AND channel = ?",
                                  arguments: [alert.runId, sink.channel])
            }) ?? nil
            if already == true {
                log("Alert for run \(alert.runId) already sent to \(sink.channel)")
                continue
            }
            do {
                try sink.deliver(alert)
                try? state.write { db in
                    try db.execute(sql: "INSERT OR IGNORE INTO alerts_sent (alert_key, channel, sent_at, attempts) VALUES (?, ?, ?, 1)",
                                   arguments: [alert.runId, sink.channel, StateStore.timestamp(clock.now)])
                }
                reached.append(sink.channel)
                log("Alert for run \(alert.runId) sent to \(sink.channel)")
            } catch {
                let message = redactor.redact(String(describing: error))
                log("Alert for run \(alert.runId) could not be sent to \(sink.channel): \(message)")
                try? state.write { db in
                    try db.execute(sql: "INSERT INTO alert_failures (alert_key, channel, failed_at, error) VALUES (?, ?, ?, ?)",
                                   arguments: [alert.runId, sink.channel, StateStore.timestamp(clock.now), message])
                }
            }
        }
        return reached
    }
}
