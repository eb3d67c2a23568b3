/// A pre- or post-hook: SQL run around a node, inside the node's transaction or not.
public struct Hook: Sendable, Hashable {
    public var sql: String
    public var transaction: Bool
    public var index: Int?
    public init(sql: String, transaction: Bool = true, index: Int? = nil) {
        self.sql = sql
        self.transaction = transaction
        self.index = index
    }

    /// dbt accepts a string, a `{sql, transaction}` dict, or a list of these.
    static func list(_ v: ConfigValue?) -> [Hook] {
        guard let v else { return [] }
        switch v {
        case .null: return []
        case .string(let s): return [Hook(sql: s)]
        case .dict(let d):
            guard let sql = d["sql"]?.asString else { return [] }
            return [Hook(sql: sql, transaction: d["transaction"]?.asBool ?? true, index: d["index"]?.asInt)]
        case .array(let a): return a.flatMap { list($0) }
        default: return [Hook(sql: v.pythonStr)]
        }
    }

    var configValue: ConfigValue {
        ["sql": .string(sql), "transaction": .bool(transaction), "index": index.map(ConfigValue.int) ?? .null]
    }
}

/// A node's merged configuration: typed accessors for the keys dbt defines, and every key
/// (known or not) in `values`, so `config.get('anything')` works.
///
/// Keys are dbt's: `pre-hook`/`post-hook` with a hyphen (`pre_hook` is read as an alias), the rest
/// snake_case. Defaults per resource type are dbt's (`NodeConfig`, `ModelConfig`, `SeedConfig`,
/// `SnapshotConfig`, `TestConfig` in dbt-core's `artifacts/resources`).
public struct NodeConfig: Sendable, Hashable {
    /// Every key in dbt's order: defaults first, then keys only this node sets.
    public var values: ConfigObject

    public init(values: ConfigObject = ConfigObject()) { self.values = values }

    /// Any key, as `config.get(key)` sees it.
    public subscript(key: String) -> ConfigValue? { values[ConfigMerge.canonicalKey(key)] }
    public func get(_ key: String) -> ConfigValue? { self[key] }

    public var enabled: Bool { values["enabled"]?.asBool ?? true }
    public var materialized: String? { values["materialized"]?.asString }
    public var schema: String? { values["schema"]?.asString }
    public var database: String? { values["database"]?.asString }
    public var alias: String? { values["alias"]?.asString }
    public var tags: [String] { values["tags"]?.asStringList ?? [] }
    public var meta: ConfigObject { values["meta"]?.asDict ?? ConfigObject() }
    public var preHook: [Hook] { Hook.list(values["pre-hook"]) }
    public var postHook: [Hook] { Hook.list(values["post-hook"]) }
    /// A string or a list of columns; a single string gives one element.
    public var uniqueKey: [String]? { values["unique_key"].flatMap { $0.isNull ? nil : $0.asStringList } }
    public var incrementalStrategy: String? { values["incremental_strategy"]?.asString }
    public var onSchemaChange: String? { values["on_schema_change"]?.asString }
    public var fullRefresh: Bool? { values["full_refresh"]?.asBool }
    public var persistDocs: ConfigObject { values["persist_docs"]?.asDict ?? ConfigObject() }
    /// Tests: `ERROR` or `WARN` as written (dbt compares case-insensitively).
    public var severity: String? { values["severity"]?.asString }
    public var warnIf: String? { values["warn_if"]?.asString }
    public var errorIf: String? { values["error_if"]?.asString }
    public var `where`: String? { values["where"]?.asString }
    public var limit: Int? { values["limit"]?.asInt }
    public var storeFailures: Bool? { values["store_failures"]?.asBool }
    public var failCalc: String? { values["fail_calc"]?.asString }
    /// Seeds: column name → SQL type.
    public var columnTypes: ConfigObject { values["column_types"]?.asDict ?? ConfigObject() }
    public var delimiter: String? { values["delimiter"]?.asString }
    public var quoteColumns: Bool? { values["quote_columns"]?.asBool }
    public var docs: ConfigObject { values["docs"]?.asDict ?? ConfigObject() }
    public var contract: ConfigObject { values["contract"]?.asDict ?? ConfigObject() }
    public var grants: ConfigObject { values["grants"]?.asDict ?? ConfigObject() }
    public var packages: [String] { values["packages"]?.asStringList ?? [] }

    /// Keys not covered by a typed accessor above.
    public var extra: ConfigObject {
        var out = ConfigObject()
        for (k, v) in values where !NodeConfig.typedKeys.contains(k) { out[k] = v }
        return out
    }

    static let typedKeys: Set<String> = [
        "enabled", "materialized", "schema", "database", "alias", "tags", "meta", "pre-hook", "post-hook", "unique_key",
        "incremental_strategy", "on_schema_change", "full_refresh", "persist_docs", "severity", "warn_if", "error_if",
        "where", "limit", "store_failures", "fail_calc", "column_types", "delimiter", "quote_columns", "docs",
        "contract", "grants", "packages",
    ]
}

/// The config sources of one node, least specific first.
package struct ConfigLayers: Sendable, Hashable {
    /// dbt_project.yml levels, shallow to deep (`models:` → package → folders).
    package var project: [ConfigObject] = []
    /// The property file's `config:` (and, for tests, the test entry's configs).
    package var property: ConfigObject = ConfigObject()
    /// `config()` calls found when Compile renders the file, in call order.
    package var calls: [ConfigObject] = []
}

/// dbt's config merge rules (dbt_common `MergeBehavior`).
///
/// - Append: `tags`, `pre-hook`, `post-hook`, `packages` (lists concatenate; tags then dedupe).
/// - Update: `meta`, `docs`, `contract`, `quoting`, `column_types`, `freshness` (dict keys merge,
///   later wins).
/// - DictKeyAppend: `grants` (a `+privilege` key appends grantees, a plain key replaces).
/// - Clobber: everything else (later wins).
/// Source: https://docs.getdbt.com/reference/configs-and-properties#combining-configs
package enum ConfigMerge {
    static let append: Set<String> = ["tags", "pre-hook", "post-hook", "packages"]
    static let update: Set<String> = ["meta", "docs", "contract", "quoting", "column_types"]

    /// `pre_hook` → `pre-hook`, `post_hook` → `post-hook`; strips a leading `+`.
    package static func canonicalKey(_ key: String) -> String {
        var k = key.hasPrefix("+") ? String(key.dropFirst()).trimmingSpaces : key
        if k == "pre_hook" { k = "pre-hook" } else if k == "post_hook" { k = "post-hook" } else if k == "data_tests" {
            k = "data_tests"
        }
        return k
    }

    /// Merges `layer` into `base` by dbt's per-key behaviour.
    package static func merge(_ base: inout ConfigObject, _ layer: ConfigObject) {
        for (rawKey, v) in layer {
            let k = canonicalKey(rawKey)
            guard let old = base[k], !old.isNull else {
                base[k] = append.contains(k) ? .array(listify(v)) : v
                continue
            }
            if append.contains(k) {
                base[k] = .array(listify(old) + listify(v))
            } else if update.contains(k), case .dict(var o) = old, case .dict(let n) = v {
                for (nk, nv) in n { o[nk] = nv }
                base[k] = .dict(o)
            } else if k == "grants", case .dict(var o) = old, case .dict(let n) = v {
                for (nk, nv) in n {
                    if nk.hasPrefix("+") {
                        let key = String(nk.dropFirst())
                        o[key] = .array(listify(o[key] ?? .null) + listify(nv))
                    } else {
                        o[nk] = nv
                    }
                }
                base[k] = .dict(o)
            } else {
                base[k] = v
            }
        }
    }

    static func listify(_ v: ConfigValue) -> [ConfigValue] {
        switch v {
        case .array(let a): return a
        case .null: return []
        default: return [v]
        }
    }

    /// The merged config of a node: type defaults, then each layer.
    package static func resolve(_ layers: ConfigLayers, type: ResourceType) -> (NodeConfig, unrendered: ConfigObject) {
        var merged = ConfigDefaults.defaults(for: type)
        var unrendered = ConfigObject()
        for layer in layers.project {
            merge(&merged, layer)
            for (k, v) in layer { unrendered[k.hasPrefix("+") ? String(k.dropFirst()) : k] = v }
        }
        merge(&merged, layers.property)
        for (k, v) in layers.property { unrendered[k] = v }
        for call in layers.calls {
            merge(&merged, call)
            for (k, v) in call { unrendered[k] = v }
        }
        // Tags dedupe in first-seen order; hooks become {sql, transaction, index} objects.
        if let tags = merged["tags"]?.asArray {
            var seen = Set<ConfigValue>()
            merged["tags"] = .array(tags.filter { seen.insert($0).inserted })
        }
        for hookKey in ["pre-hook", "post-hook"] where merged[hookKey] != nil {
            merged[hookKey] = .array(Hook.list(merged[hookKey]).map(\.configValue))
        }
        if type == .test {
            // dbt's TestConfig.finalize_and_validate: store_failures and store_failures_as imply each other.
            let asValue = merged["store_failures_as"]?.asString
            if asValue == nil {
                switch merged["store_failures"]?.asBool {
                case true?: merged["store_failures_as"] = "table"
                case false?: merged["store_failures_as"] = "ephemeral"
                case nil: break
                }
            } else if let asValue {
                switch asValue {
                case "ephemeral": merged["store_failures"] = false
                case "table", "view": merged["store_failures"] = true
                default: break
                }
            }
        }
        return (NodeConfig(values: merged), unrendered)
    }
}

/// dbt's default config per resource type, in the key order dbt writes them.
package enum ConfigDefaults {
    private static let docs: ConfigValue = ["show": true, "node_color": nil]
    private static let contract: ConfigValue = ["enforced": false, "alias_types": true]

    private static let common: [(String, ConfigValue)] = [
        ("enabled", true), ("alias", nil), ("schema", nil), ("database", nil), ("tags", []), ("meta", [:]),
        ("group", nil), ("static_analysis", nil),
    ]

    private static func node(materialized: String) -> [(String, ConfigValue)] {
        common + [
            ("materialized", .string(materialized)), ("incremental_strategy", nil), ("batch_size", nil), ("lookback", 1),
            ("begin", nil), ("persist_docs", [:]), ("post-hook", []), ("pre-hook", []), ("quoting", [:]),
            ("column_types", [:]), ("full_refresh", nil), ("unique_key", nil), ("on_schema_change", "ignore"),
            ("on_configuration_change", "apply"), ("grants", [:]), ("packages", []), ("docs", docs),
            ("contract", contract), ("event_time", nil), ("concurrent_batches", nil),
        ]
    }

    private static let model = node(materialized: "view") + [
        ("access", "protected"), ("freshness", nil), ("on_error", nil),
        ("latest_version_pointer", ["enabled": nil, "alias": nil]),
    ]
    private static let seed = node(materialized: "seed") + [("delimiter", ","), ("quote_columns", nil)]
    private static let snapshot = node(materialized: "snapshot") + [
        ("strategy", nil), ("target_schema", nil), ("target_database", nil), ("updated_at", nil), ("check_cols", nil),
        ("snapshot_meta_column_names", ["dbt_valid_to": nil, "dbt_valid_from": nil, "dbt_scd_id": nil,
                                        "dbt_updated_at": nil, "dbt_is_deleted": nil]),
        ("dbt_valid_to_current", nil),
    ]
    private static let test = common.map { $0.0 == "schema" ? ("schema", ConfigValue.string("dbt_test__audit")) : $0 } + [
        ("materialized", "test"), ("severity", "ERROR"), ("store_failures", nil), ("store_failures_as", nil),
        ("sql_header", nil), ("where", nil), ("limit", nil), ("fail_calc", "count(*)"), ("warn_if", "!= 0"),
        ("error_if", "!= 0"),
    ]
    private static let plain = node(materialized: "view")

    private static let cache: [ResourceType: ConfigObject] = {
        var out: [ResourceType: ConfigObject] = [:]
        for t in ResourceType.allCases {
            let pairs: [(String, ConfigValue)]
            switch t {
            case .model: pairs = model
            case .seed: pairs = seed
            case .snapshot: pairs = snapshot
            case .test: pairs = test
            default: pairs = plain
            }
            out[t] = ConfigObject(pairs.map { (key: $0.0, value: $0.1) })
        }
        return out
    }()

    /// The defaults for one resource type.
    package static func defaults(for type: ResourceType) -> ConfigObject { cache[type] ?? ConfigObject() }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
