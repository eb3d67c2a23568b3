import Warehouse

/// A node compiled and ready to execute: everything a runner needs, nothing of Jinja.
///
/// The Compile module produces it right before the node runs (as dbt does), because
/// `is_incremental()` and `run_query` depend on what upstream nodes just built.
public struct ExecutableNode: Sendable {
    public enum Kind: String, Sendable { case model, seed, test, snapshot, analysis, operation }

    public var uniqueId: String
    public var kind: Kind
    public var name: String
    /// The relation the node builds (models, seeds) or none (tests, ephemeral models).
    public var relation: Relation?
    /// `view`, `table`, `incremental`, `ephemeral`, `seed`, `test`.
    public var materialized: String
    /// The node's compiled SQL (for a data test, the query that returns failing rows).
    public var compiledSQL: String
    public var preHooks: [String] = []
    public var postHooks: [String] = []
    public var incremental = IncrementalConfig()
    public var test = TestConfig()
    /// For seeds: the CSV file, its delimiter and column type overrides.
    public var seed: SeedConfig?
    /// Whether `--full-refresh` applies to this node (dbt's `full_refresh` config may veto it).
    public var fullRefresh = false
    /// Where the executed SQL is written (`target/run/<package>/<path>`), relative to the target folder.
    public var runPath: String?
    /// Every config key of a model (adapters read their own: partition_by, cluster_by, labels …).
    public var config: [String: ConfigSetting] = [:]
    /// The model's description and its columns' (name → description), from its property file.
    public var description = ""
    public var columnDescriptions: [String: String] = [:]

    public init(uniqueId: String, kind: Kind, name: String, relation: Relation?, materialized: String, compiledSQL: String) {
        self.uniqueId = uniqueId
        self.kind = kind
        self.name = name
        self.relation = relation
        self.materialized = materialized
        self.compiledSQL = compiledSQL
    }
}

/// The incremental materialization's settings (dbt's `unique_key`, `incremental_strategy`,
/// `on_schema_change`; docs.getdbt.com/docs/build/incremental-models).
public struct IncrementalConfig: Sendable {
    public var uniqueKey: [String] = []
    /// `append`, `merge`, `delete+insert`; nil picks `merge` with a unique key, `append` without.
    public var strategy: String?
    /// `ignore` (default), `fail`, `append_new_columns`, `sync_all_columns`.
    public var onSchemaChange = "ignore"
    public init() {}
}

/// A data test's settings (docs.getdbt.com/reference/data-test-configs).
public struct TestConfig: Sendable {
    /// `error` or `warn`.
    public var severity = "error"
    public var warnIf = "!= 0"
    public var errorIf = "!= 0"
    public var failCalc = "count(*)"
    public var limit: Int?
    public var storeFailures = false
    /// Where failing rows are stored when `storeFailures` is on.
    public var auditRelation: Relation?
    public init() {}
}

/// A seed's CSV file and how to read it.
public struct SeedConfig: Sendable {
    public var path: String
    public var delimiter: Character = ","
    public var columnTypes: [String: String] = [:]
    public init(path: String) { self.path = path }
}
