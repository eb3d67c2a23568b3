/// A node config value as the warehouse sees it: the JSON-like tree a `config()` call or a
/// property file gives (`partition_by={'field': 'day', 'data_type': 'date'}`), without the
/// Project module's types, so drivers need not depend on Project.
public indirect enum ConfigSetting: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([ConfigSetting])
    case dict([String: ConfigSetting])

    /// The string, or nil when this is not a string.
    public var string: String? { if case .string(let s) = self { return s }; return nil }
    /// The integer (a whole double counts), or nil.
    public var int: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d == d.rounded() && abs(d) < 9.0e15: return Int(d)
        case .string(let s): return Int(s)
        default: return nil
        }
    }
    /// The boolean (`true`/`false` strings count, as YAML and env vars give them), or nil.
    public var bool: Bool? {
        switch self {
        case .bool(let b): return b
        case .string(let s): return ["true": true, "false": false][s.lowercased()]
        default: return nil
        }
    }
    /// The list; a single string is a one-element list (dbt accepts `cluster_by: "a"`).
    public var list: [ConfigSetting]? {
        switch self {
        case .list(let l): return l
        case .string: return [self]
        default: return nil
        }
    }
    /// The dictionary, or nil.
    public var dict: [String: ConfigSetting]? { if case .dict(let d) = self { return d }; return nil }
    public subscript(key: String) -> ConfigSetting? { dict?[key] }
}

/// One model to build: what the runner knows about it once compiled. Adapters whose DDL or
/// incremental strategies differ from the shared Swift materializations (BigQuery's
/// partitioning and `insert_overwrite`, PostgreSQL's `MERGE`) receive it in
/// ``Adapter/materialize(_:)``.
public struct ModelBuild: Sendable {
    public var uniqueId: String
    public var name: String
    public var relation: Relation
    /// `view`, `table` or `incremental`.
    public var materialized: String
    public var compiledSQL: String
    /// Whether `--full-refresh` applies (dbt's `full_refresh` config may veto it).
    public var fullRefresh: Bool
    public var uniqueKey: [String]
    /// `append`, `merge`, `delete+insert`, `insert_overwrite`, `microbatch`; nil lets the adapter pick.
    public var incrementalStrategy: String?
    /// `ignore`, `fail`, `append_new_columns`, `sync_all_columns`.
    public var onSchemaChange: String
    /// Every config key of the node (partition_by, cluster_by, labels, persist_docs, …).
    public var config: [String: ConfigSetting]
    /// The model's description from its property file, and its columns' (name → description).
    public var description: String
    public var columnDescriptions: [String: String]

    public init(uniqueId: String, name: String, relation: Relation, materialized: String, compiledSQL: String,
                fullRefresh: Bool = false, uniqueKey: [String] = [], incrementalStrategy: String? = nil,
                onSchemaChange: String = "ignore", config: [String: ConfigSetting] = [:],
                description: String = "", columnDescriptions: [String: String] = [:]) {
        self.uniqueId = uniqueId
        self.name = name
        self.relation = relation
        self.materialized = materialized
        self.compiledSQL = compiledSQL
        self.fullRefresh = fullRefresh
        self.uniqueKey = uniqueKey
        self.incrementalStrategy = incrementalStrategy
        self.onSchemaChange = onSchemaChange
        self.config = config
        self.description = description
        self.columnDescriptions = columnDescriptions
    }
}

/// Who a statement runs for: BigQuery puts these on every job as labels
/// (`dbt_invocation_id`, and the node's id), other warehouses may ignore them.
public struct StatementContext: Sendable, Hashable {
    public var invocationId: String
    /// The node's unique id, e.g. `model.opsflow_analytics.mart_volume_forecast`; nil outside a node.
    public var nodeId: String?
    public init(invocationId: String, nodeId: String?) {
        self.invocationId = invocationId
        self.nodeId = nodeId
    }
}

/// What a query would cost, from a warehouse's dry run (BigQuery's `dryRun: true` job).
public struct QueryEstimate: Sendable, Hashable {
    /// Bytes the query would read (BigQuery's `totalBytesProcessed`).
    public var bytesProcessed: Int64
    /// Bytes it would bill, when the warehouse says (on-demand minimum 10 MiB per table referenced).
    public var bytesBilled: Int64?
    public init(bytesProcessed: Int64, bytesBilled: Int64? = nil) {
        self.bytesProcessed = bytesProcessed
        self.bytesBilled = bytesBilled
    }
}

extension Adapter {
    /// The shared Swift materializations build the model: adapters override to build it their way.
    public func materialize(_ build: ModelBuild) throws -> Materialized? { nil }

    /// Runs `body` with `context` attached to every statement it sends (job labels on BigQuery).
    public func withContext<T>(_ context: StatementContext, _ body: () throws -> T) throws -> T { try body() }

    /// Dry-runs `sql`. - Throws: ``WarehouseError`` `.unsupported` where the warehouse has no dry run.
    public func estimate(_ sql: String) throws -> QueryEstimate {
        throw WarehouseError(.unsupported, "the \(type) adapter has no dry run: estimate on a BigQuery target (--target <a bigquery output>)")
    }
}
