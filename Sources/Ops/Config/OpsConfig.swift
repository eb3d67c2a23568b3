import Foundation
import Yams

/// `opsflow.yml` beside `dbt_project.yml`: the Ops configuration of a project (syncs, alerts,
/// schedule jobs, sensors). Every key is snake_case, like dbt's YAML. Secrets are never written
/// in it: each secret names the environment variable that holds it (`url_env: WMS_URL`, or
/// `${WMS_TOKEN}` inside a header value).
///
/// ```yaml
/// syncs:
///   wms_forecast:
///     model: mart_volume_forecast
///     url_env: WMS_URL
///     primary_key: [forecast_key]
///     mode: upsert
///     batch_size: 200
///     headers: {Authorization: "Bearer ${WMS_TOKEN}"}
/// ```
public struct OpsConfig: Sendable, Decodable {
    public var syncs: [String: SyncConfig] = [:]
    public var alerts: AlertConfig?
    public var jobs: [String: JobConfig] = [:]
    public var sensors: [String: SensorConfig] = [:]

    public init() {}

    enum CodingKeys: String, CodingKey { case syncs, alerts, jobs, sensors }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        syncs = try c.decodeIfPresent([String: SyncConfig].self, forKey: .syncs) ?? [:]
        alerts = try c.decodeIfPresent(AlertConfig.self, forKey: .alerts)
        jobs = try c.decodeIfPresent([String: JobConfig].self, forKey: .jobs) ?? [:]
        sensors = try c.decodeIfPresent([String: SensorConfig].self, forKey: .sensors) ?? [:]
    }

    /// Reads `opsflow.yml` text.
    /// - Throws: ``OpsError`` `.config` naming the file and the key that is wrong.
    public static func parse(_ text: String, file: String = "opsflow.yml") throws -> OpsConfig {
        do {
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return OpsConfig() }
            return try YAMLDecoder().decode(OpsConfig.self, from: text)
        } catch let error as DecodingError {
            throw OpsError(.config, describe(error), file: file)
        } catch {
            throw OpsError(.config, "cannot read: \(error)", file: file)
        }
    }

    /// Reads `<project>/opsflow.yml`; an absent file is an empty configuration.
    public static func load(projectDir: String) throws -> OpsConfig {
        let path = URL(fileURLWithPath: projectDir).appendingPathComponent("opsflow.yml").path
        guard let data = FileManager.default.contents(atPath: path) else { return OpsConfig() }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context)): missing key '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

/// One reverse-ETL sync: a model's rows pushed to an HTTP API.
public struct SyncConfig: Sendable, Decodable, Hashable {
    public enum Mode: String, Sendable, Decodable, Hashable {
        /// Send new and changed rows.
        case upsert
        /// Also delete, at the destination, rows that disappeared from the model.
        case mirror
    }

    /// The model whose rows are sent (its name, as in `ref()`).
    public var model: String
    /// The environment variable holding the destination URL (a secret: it may carry a token).
    public var urlEnv: String
    public var primaryKey: [String]
    public var mode: Mode = .upsert
    /// Rows per request.
    public var batchSize: Int = 500
    /// Requests per second at most; nil = no limit.
    public var rateLimitPerSecond: Double?
    /// Seconds before a request times out.
    public var timeoutSeconds: Double = 30
    /// Header name → value; `${VAR}` in a value is replaced by the environment variable (a secret).
    public var headers: [String: String] = [:]
    /// Destination field → model column. Empty: every column under its own name.
    public var fields: [String: String] = [:]
    public var retry: RetryConfig = RetryConfig()

    enum CodingKeys: String, CodingKey {
        case model, urlEnv = "url_env", primaryKey = "primary_key", mode, batchSize = "batch_size"
        case rateLimitPerSecond = "rate_limit_per_second", timeoutSeconds = "timeout_seconds", headers, fields, retry
    }

    public init(model: String, urlEnv: String, primaryKey: [String]) {
        self.model = model
        self.urlEnv = urlEnv
        self.primaryKey = primaryKey
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.decode(String.self, forKey: .model)
        urlEnv = try c.decode(String.self, forKey: .urlEnv)
        if let keys = try? c.decode([String].self, forKey: .primaryKey) { primaryKey = keys } else {
            primaryKey = [try c.decode(String.self, forKey: .primaryKey)]
        }
        mode = try c.decodeIfPresent(Mode.self, forKey: .mode) ?? .upsert
        batchSize = max(1, try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? 500)
        rateLimitPerSecond = try c.decodeIfPresent(Double.self, forKey: .rateLimitPerSecond)
        timeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .timeoutSeconds) ?? 30
        headers = try c.decodeIfPresent([String: String].self, forKey: .headers) ?? [:]
        fields = try c.decodeIfPresent([String: String].self, forKey: .fields) ?? [:]
        retry = try c.decodeIfPresent(RetryConfig.self, forKey: .retry) ?? RetryConfig()
    }
}

/// A retry policy as written in YAML.
public struct RetryConfig: Sendable, Decodable, Hashable {
    public var maxAttempts: Int = 5
    public var initialDelaySeconds: Double = 1
    public var maxDelaySeconds: Double = 30
    public var multiplier: Double = 2
    public var jitterFraction: Double = 0.5

    enum CodingKeys: String, CodingKey {
        case maxAttempts = "max_attempts", initialDelaySeconds = "initial_delay_seconds", maxDelaySeconds = "max_delay_seconds"
        case multiplier, jitterFraction = "jitter_fraction"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        maxAttempts = try c.decodeIfPresent(Int.self, forKey: .maxAttempts) ?? 5
        initialDelaySeconds = try c.decodeIfPresent(Double.self, forKey: .initialDelaySeconds) ?? 1
        maxDelaySeconds = try c.decodeIfPresent(Double.self, forKey: .maxDelaySeconds) ?? 30
        multiplier = try c.decodeIfPresent(Double.self, forKey: .multiplier) ?? 2
        jitterFraction = try c.decodeIfPresent(Double.self, forKey: .jitterFraction) ?? 0.5
    }

    public var policy: RetryPolicy {
        RetryPolicy(maxAttempts: maxAttempts, initialDelaySeconds: initialDelaySeconds, multiplier: multiplier,
                    maxDelaySeconds: maxDelaySeconds, jitterFraction: jitterFraction)
    }
}

/// Where and when build alerts go.
public struct AlertConfig: Sendable, Decodable, Hashable {
    /// Node statuses that trigger an alert: `error`, `fail`, `warn` (default error and fail).
    public var on: [String] = ["error", "fail"]
    /// The environment variable holding a Slack incoming-webhook URL.
    public var slackWebhookEnv: String?
    /// The environment variable holding a generic JSON webhook URL.
    public var webhookUrlEnv: String?
    /// Failing rows shown per failed test.
    public var sampleRows: Int = 3
    public var retry: RetryConfig = RetryConfig()

    enum CodingKeys: String, CodingKey {
        case on, slackWebhookEnv = "slack_webhook_env", webhookUrlEnv = "webhook_url_env", sampleRows = "sample_rows", retry
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        on = try c.decodeIfPresent([String].self, forKey: .on) ?? ["error", "fail"]
        slackWebhookEnv = try c.decodeIfPresent(String.self, forKey: .slackWebhookEnv)
        webhookUrlEnv = try c.decodeIfPresent(String.self, forKey: .webhookUrlEnv)
        sampleRows = try c.decodeIfPresent(Int.self, forKey: .sampleRows) ?? 3
        retry = try c.decodeIfPresent(RetryConfig.self, forKey: .retry) ?? RetryConfig()
    }
}

/// A scheduled job.
public struct JobConfig: Sendable, Decodable, Hashable {
    public enum MissedRuns: String, Sendable, Decodable, Hashable {
        /// After downtime, forget the runs that were missed and wait for the next instant.
        case skip
        /// After downtime, run once for all the missed instants, then keep to the schedule.
        case catchUpOnce = "catch_up_once"
    }

    /// Five-field cron: minute hour day-of-month month day-of-week.
    public var cron: String
    /// An IANA time zone the cron is read in (default UTC).
    public var timezone: String = "UTC"
    /// The opsflow command line to run, e.g. `build --select source:raw_source+` or `sync wms_forecast`.
    public var command: String
    /// Retries after a failed attempt.
    public var retries: Int = 0
    public var retryDelaySeconds: Double = 60
    /// Seconds an attempt may run before it is stopped (SIGTERM, then SIGKILL).
    public var timeoutSeconds: Double?
    public var missed: MissedRuns = .skip

    enum CodingKeys: String, CodingKey {
        case cron, timezone, command, retries, retryDelaySeconds = "retry_delay_seconds", timeoutSeconds = "timeout_seconds", missed
    }

    public init(cron: String, command: String) {
        self.cron = cron
        self.command = command
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        cron = try c.decode(String.self, forKey: .cron)
        timezone = try c.decodeIfPresent(String.self, forKey: .timezone) ?? "UTC"
        command = try c.decode(String.self, forKey: .command)
        retries = try c.decodeIfPresent(Int.self, forKey: .retries) ?? 0
        retryDelaySeconds = try c.decodeIfPresent(Double.self, forKey: .retryDelaySeconds) ?? 60
        timeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .timeoutSeconds)
        missed = try c.decodeIfPresent(MissedRuns.self, forKey: .missed) ?? .skip
    }
}

/// A sensor waiting for the day's raw files in an inbox.
public struct SensorConfig: Sendable, Decodable, Hashable {
    /// The folder files arrive in (relative to the project).
    public var inbox: String
    /// Where loaded files are moved (relative to the project); default `<inbox>/archive`.
    public var archive: String?
    /// `source_name.table_name` → file-name pattern; `{YYYYMMDD}`, `{YYYY}`, `{MM}`, `{DD}` are the
    /// day's date, `*` any text.
    public var files: [String: String]
    /// The local time (`HH:MM`) after which missing files raise an alert.
    public var deadline: String?
    public var timezone: String = "UTC"
    /// What to build after loading (default `source:<source>+` for each loaded source).
    public var select: [String]?
    /// Load mode for the files (`append` or `replace`).
    public var mode: String = "append"

    enum CodingKeys: String, CodingKey { case inbox, archive, files, deadline, timezone, select, mode }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        inbox = try c.decode(String.self, forKey: .inbox)
        archive = try c.decodeIfPresent(String.self, forKey: .archive)
        files = try c.decode([String: String].self, forKey: .files)
        deadline = try c.decodeIfPresent(String.self, forKey: .deadline)
        timezone = try c.decodeIfPresent(String.self, forKey: .timezone) ?? "UTC"
        select = try c.decodeIfPresent([String].self, forKey: .select)
        mode = try c.decodeIfPresent(String.self, forKey: .mode) ?? "append"
    }
}
