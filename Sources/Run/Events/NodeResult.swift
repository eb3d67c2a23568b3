import Foundation
import Warehouse

/// The status of a node after a run, as dbt writes it in `run_results.json`
/// (`RunStatus`/`TestStatus` in dbt's `contracts/results.py`).
public enum NodeStatus: String, Sendable, Codable {
    case success, error, skipped
    case pass, fail, warn
    case noOp = "no-op"
}

/// A timed phase of a node (`compile`, `execute`), in `run_results.json`'s `timing`.
public struct TimingInfo: Sendable {
    public var name: String
    public var startedAt: Date
    public var completedAt: Date

    public init(name: String, startedAt: Date, completedAt: Date) {
        self.name = name
        self.startedAt = startedAt
        self.completedAt = completedAt
    }
}

/// What running one node produced.
public struct NodeResult: Sendable {
    public var uniqueId: String
    public var status: NodeStatus
    /// dbt's `message`: `"OK"`, `"Got 3 results, configured to fail if != 0"`, the error text …
    public var message: String?
    /// Failing rows of a data test; nil for other nodes.
    public var failures: Int?
    public var timing: [TimingInfo]
    /// Seconds from the node's start to its end.
    public var executionTime: Double
    /// `Thread-N`.
    public var threadId: String
    public var adapterResponse: AdapterResponse?
    public var compiledCode: String?
    public var relationName: String?

    public init(
        uniqueId: String, status: NodeStatus, message: String? = nil, failures: Int? = nil,
        timing: [TimingInfo] = [], executionTime: Double = 0, threadId: String = "Thread-1",
        adapterResponse: AdapterResponse? = nil, compiledCode: String? = nil, relationName: String? = nil
    ) {
        self.uniqueId = uniqueId
        self.status = status
        self.message = message
        self.failures = failures
        self.timing = timing
        self.executionTime = executionTime
        self.threadId = threadId
        self.adapterResponse = adapterResponse
        self.compiledCode = compiledCode
        self.relationName = relationName
    }

    /// Whether the node counts as an error for the exit code and for `Done. … ERROR=`.
    public var isError: Bool { status == .error || status == .fail }
}
