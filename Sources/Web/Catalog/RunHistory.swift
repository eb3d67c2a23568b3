import Foundation

/// One node's result within a run (a `results[]` entry of `run_results.json` v6).
public struct NodeRunRecord: Sendable, Hashable {
    public var uniqueID: String
    /// `success`, `error`, `skipped`, `pass`, `fail`, `warn`, `runtime error`.
    public var status: String
    /// Seconds (`execution_time`).
    public var executionTime: Double
    /// Start and end of the `execute` timing entry, when the node ran.
    public var startedAt: Date?
    public var completedAt: Date?
    public var message: String?
    /// Tests: failing rows counted by the test (`failures`).
    public var failures: Int?
    public var compiledCode: String?
    public var relationName: String?

    public init(uniqueID: String, status: String, executionTime: Double, startedAt: Date? = nil, completedAt: Date? = nil,
                message: String? = nil, failures: Int? = nil, compiledCode: String? = nil, relationName: String? = nil) {
        self.uniqueID = uniqueID
        self.status = status
        self.executionTime = executionTime
        self.startedAt = startedAt
        self.completedAt = completedAt
        self.message = message
        self.failures = failures
        self.compiledCode = compiledCode
        self.relationName = relationName
    }
}

/// One invocation (`build`, `run`, `test` …) and its node results.
public struct RunRecord: Sendable, Hashable {
    /// The invocation id (`metadata.invocation_id`); stable, used in URLs.
    public var id: String
    /// `args.which` (the verb), e.g. `build`.
    public var command: String
    public var startedAt: Date?
    public var generatedAt: Date?
    /// Seconds (`elapsed_time`).
    public var elapsedTime: Double
    public var results: [NodeRunRecord]
    /// The run's own status when its source records one (a state database: `success`, `error`,
    /// `timeout`, `interrupted`, `skipped`, `running`); nil for `run_results.json`, which has none.
    public var status: String?
    /// Where the run was read from, e.g. `run_results.json`, `state database`, `scheduler`.
    public var source: String

    public init(id: String, command: String, startedAt: Date? = nil, generatedAt: Date? = nil, elapsedTime: Double,
                results: [NodeRunRecord], status: String? = nil, source: String = "run_results.json") {
        self.id = id
        self.command = command
        self.startedAt = startedAt
        self.generatedAt = generatedAt
        self.elapsedTime = elapsedTime
        self.results = results
        self.status = status
        self.source = source
    }

    /// Counts by status, e.g. `["success": 11, "pass": 30]`.
    public var statusCounts: [String: Int] { results.reduce(into: [:]) { $0[$1.status, default: 0] += 1 } }
    /// True when a node errored or a test failed, or the run itself ended badly (an error, a
    /// timeout, an interruption).
    public var failed: Bool {
        if let status, ["error", "timeout", "interrupted"].contains(status) { return true }
        return results.contains { ["error", "fail", "runtime error"].contains($0.status) }
    }
}

/// Where run history comes from. `run_results.json` holds the latest invocation; the CLI merges
/// it with the Ops module's state database, which keeps every run (`opsflow serve`), through this
/// protocol: the Web module does not import Ops.
public protocol RunHistorySource: Sendable {
    /// The runs, newest first.
    /// - Throws: ``WebError`` when the store exists but cannot be read.
    func runs() throws -> [RunRecord]

    /// The run with this id, with everything its page shows (a source may leave details such as
    /// compiled SQL out of `runs()` and read them here).
    func run(id: String) throws -> RunRecord?
}

extension RunHistorySource {
    /// The run with this id among `runs()`.
    public func run(id: String) throws -> RunRecord? { try runs().first { $0.id == id } }
}

/// Run history read from `target/run_results.json` (dbt schema v6) as it is: one run, the last.
public struct RunResultsFileHistory: RunHistorySource {
    public var path: String
    public init(path: String) { self.path = path }

    /// - Returns: `[]` when the file does not exist (nothing has run yet).
    /// - Throws: ``WebError/artifactInvalid`` when it is not a run_results file.
    public func runs() throws -> [RunRecord] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return [try Self.parse(data, path: path)]
    }

    /// Parses one `run_results.json` document.
    public static func parse(_ data: Data, path: String = "run_results.json") throws -> RunRecord {
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let results = root["results"] as? [[String: Any]] else {
            throw WebError.artifactInvalid(path, "no `results` array")
        }
        let metadata = root["metadata"] as? [String: Any] ?? [:]
        let args = root["args"] as? [String: Any] ?? [:]
        let records = results.map { r -> NodeRunRecord in
            let timing = r["timing"] as? [[String: Any]] ?? []
            let execute = timing.first { $0["name"] as? String == "execute" } ?? timing.last
            return NodeRunRecord(
                uniqueID: r["unique_id"] as? String ?? "", status: r["status"] as? String ?? "",
                executionTime: (r["execution_time"] as? NSNumber)?.doubleValue ?? 0,
                startedAt: (execute?["started_at"] as? String).flatMap(parseTimestamp),
                completedAt: (execute?["completed_at"] as? String).flatMap(parseTimestamp),
                message: r["message"] as? String, failures: (r["failures"] as? NSNumber)?.intValue,
                compiledCode: r["compiled_code"] as? String, relationName: r["relation_name"] as? String)
        }
        let fallbackID = (path as NSString).lastPathComponent
        return RunRecord(
            id: metadata["invocation_id"] as? String ?? fallbackID, command: args["which"] as? String ?? "run",
            startedAt: (metadata["invocation_started_at"] as? String).flatMap(parseTimestamp),
            generatedAt: (metadata["generated_at"] as? String).flatMap(parseTimestamp),
            elapsedTime: (root["elapsed_time"] as? NSNumber)?.doubleValue ?? 0, results: records)
    }

    /// dbt's artifact timestamps: `2026-11-30T05:31:02.123456Z` (fraction optional).
    static func parseTimestamp(_ text: String) -> Date? {
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = iso.date(from: text) { return d }
        iso.formatOptions = [.withInternetDateTime]
        if let d = iso.date(from: text) { return d }
        // Microseconds: Foundation parses at most milliseconds, so cut the fraction to three digits.
        if let dot = text.firstIndex(of: "."), let end = text.lastIndex(where: { $0 == "Z" || $0 == "+" }) {
            let fraction = text[text.index(after: dot)..<end].prefix(3)
            iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return iso.date(from: String(text[..<dot]) + "." + fraction + String(text[end...]))
        }
        return nil
    }
}
