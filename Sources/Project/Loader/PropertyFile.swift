/// A property file (`version: 2` YAML under a resource path), parsed into typed entries.
///
/// Keys dbt does not know give warnings, not errors, as in dbt. Shapes that dbt rejects (an entry
/// without `name`, a `columns:` that is not a list) are `.invalidProperty` errors.
/// Reference: https://docs.getdbt.com/reference/model-properties
public struct PropertyFile: Sendable, Hashable {
    /// Relative to the project root (`models/staging/schema.yml`).
    public var originalFilePath: String
    public var models: [ResourceProperties] = []
    public var seeds: [ResourceProperties] = []
    public var snapshots: [ResourceProperties] = []
    public var analyses: [ResourceProperties] = []
    public var sources: [SourceProperties] = []
    public var macros: [MacroProperties] = []
    public var warnings: [ProjectWarning] = []

    static let topKeys: Set<String> = [
        "version", "models", "seeds", "snapshots", "analyses", "sources", "macros", "exposures", "metrics",
        "semantic_models", "saved_queries", "groups", "unit_tests", "data_tests", "functions",
    ]

    /// Parses a property file's text.
    /// - Throws: `.yamlSyntax` or `.invalidProperty`.
    public init(yaml text: String, originalFilePath: String) throws {
        self.originalFilePath = originalFilePath
        let root = try YAMLReader.parse(text, file: originalFilePath)
        let loc = SourceLocation(file: originalFilePath)
        guard case .dict(let d) = root else {
            if root.isNull { return }
            throw ProjectError(.invalidProperty, "a property file must be a mapping (`version: 2`, `models:` …)", location: loc)
        }
        for k in d.keys where !Self.topKeys.contains(k) {
            warnings.append(ProjectWarning("unknown top-level key `\(k)` is ignored", location: loc))
        }
        func list(_ key: String) throws -> [ConfigObject] {
            guard let v = d[key], !v.isNull else { return [] }
            guard let a = v.asArray else {
                throw ProjectError(.invalidProperty, "`\(key):` must be a list of entries with `name:`", location: loc)
            }
            return try a.map { e in
                guard let o = e.asDict, o["name"]?.asString != nil || o["name"]?.asInt != nil else {
                    throw ProjectError(.invalidProperty,
                                       "a list element for '\(key)' does not have a name attribute",
                                       location: loc, hint: "every entry under `\(key):` needs `- name: …`")
                }
                return o
            }
        }
        models = try list("models").map { try ResourceProperties($0, file: originalFilePath) }
        seeds = try list("seeds").map { try ResourceProperties($0, file: originalFilePath) }
        snapshots = try list("snapshots").map { try ResourceProperties($0, file: originalFilePath) }
        analyses = try list("analyses").map { try ResourceProperties($0, file: originalFilePath) }
        sources = try list("sources").map { try SourceProperties($0, file: originalFilePath) }
        macros = try list("macros").map { MacroProperties($0) }
    }
}

/// A `models:`/`seeds:`/`snapshots:`/`analyses:` entry.
public struct ResourceProperties: Sendable, Hashable {
    public var name: String
    public var description: String
    /// `config:` merged with the legacy top-level `meta`, `tags`, `docs` (dbt still applies them).
    public var config: ConfigObject
    public var columns: [ColumnInfo]
    /// Model-level `data_tests:`/`tests:` as written.
    public var dataTests: [ConfigValue]
    public var meta: ConfigObject
    public var tags: [String]
    public var constraints: [ConfigValue]
    /// The raw entry, for keys not named here.
    public var raw: ConfigObject

    init(_ o: ConfigObject, file: String) throws {
        name = o["name"]?.pythonStr ?? ""
        description = o["description"]?.asString ?? ""
        var cfg = ConfigObject()
        if let meta = o["meta"]?.asDict { cfg["meta"] = .dict(meta) }
        if let tags = o["tags"], !tags.isNull { cfg["tags"] = tags }
        if let docs = o["docs"]?.asDict { cfg["docs"] = .dict(docs) }
        if let c = o["config"]?.asDict { ConfigMerge.merge(&cfg, c) }
        config = cfg
        meta = o["meta"]?.asDict ?? ConfigObject()
        tags = o["tags"]?.asStringList ?? []
        constraints = o["constraints"]?.asArray ?? []
        columns = try Self.columns(o["columns"], file: file, owner: name)
        dataTests = (o["data_tests"]?.asArray ?? []) + (o["tests"]?.asArray ?? [])
        raw = o
    }

    static func columns(_ v: ConfigValue?, file: String, owner: String) throws -> [ColumnInfo] {
        guard let v, !v.isNull else { return [] }
        guard let a = v.asArray else {
            throw ProjectError(.invalidProperty, "`columns:` of '\(owner)' must be a list", location: SourceLocation(file: file))
        }
        return try a.map { e in
            guard let o = e.asDict, let n = o["name"], !n.isNull else {
                throw ProjectError(.invalidProperty, "a column of '\(owner)' has no `name`", location: SourceLocation(file: file))
            }
            var c = ColumnInfo(name: n.pythonStr)
            c.description = o["description"]?.asString ?? ""
            c.dataType = o["data_type"]?.asString
            c.config = o["config"]?.asDict ?? ConfigObject()
            var meta = o["meta"]?.asDict ?? ConfigObject()
            for (k, mv) in c.config["meta"]?.asDict ?? ConfigObject() { meta[k] = mv }
            c.meta = meta
            c.tags = (o["tags"]?.asStringList ?? []) + (c.config["tags"]?.asStringList ?? [])
            c.quote = o["quote"]?.asBool
            c.constraints = o["constraints"]?.asArray ?? []
            c.dataTests = (o["data_tests"]?.asArray ?? []) + (o["tests"]?.asArray ?? [])
            return c
        }
    }
}

/// A `sources:` entry: one schema of raw tables.
public struct SourceProperties: Sendable, Hashable {
    public var name: String
    public var description: String
    public var database: String?
    public var schema: String?
    public var loader: String
    public var loadedAtField: String?
    public var loadedAtQuery: String?
    /// nil when absent; `.null` when written as `freshness: null`.
    public var freshness: ConfigValue?
    public var quoting: ConfigObject
    public var meta: ConfigObject
    public var tags: [String]
    public var config: ConfigObject
    public var tables: [SourceTableProperties]

    init(_ o: ConfigObject, file: String) throws {
        name = o["name"]?.pythonStr ?? ""
        description = o["description"]?.asString ?? ""
        database = o["database"]?.asString ?? o["project"]?.asString
        schema = o["schema"]?.asString ?? o["dataset"]?.asString
        loader = o["loader"]?.asString ?? ""
        config = o["config"]?.asDict ?? ConfigObject()
        loadedAtField = o["loaded_at_field"]?.asString ?? config["loaded_at_field"]?.asString
        loadedAtQuery = o["loaded_at_query"]?.asString ?? config["loaded_at_query"]?.asString
        freshness = o["freshness"] ?? config["freshness"]
        quoting = o["quoting"]?.asDict ?? ConfigObject()
        meta = o["meta"]?.asDict ?? ConfigObject()
        tags = o["tags"]?.asStringList ?? []
        let owner = name
        guard let tv = o["tables"], !tv.isNull else { tables = []; return }
        guard let ta = tv.asArray else {
            throw ProjectError(.invalidProperty, "`tables:` of source '\(owner)' must be a list", location: SourceLocation(file: file))
        }
        tables = try ta.map { e in
            guard let t = e.asDict, let n = t["name"], !n.isNull else {
                throw ProjectError(.invalidProperty, "a table of source '\(owner)' has no `name`", location: SourceLocation(file: file))
            }
            return try SourceTableProperties(t, name: n.pythonStr, file: file, source: owner)
        }
    }
}

/// A table under a source.
public struct SourceTableProperties: Sendable, Hashable {
    public var name: String
    public var identifier: String?
    public var description: String
    public var columns: [ColumnInfo]
    public var dataTests: [ConfigValue]
    /// nil when absent (inherit the source's), `.null` to turn freshness off.
    public var freshness: ConfigValue?
    public var loadedAtField: String?
    public var loadedAtQuery: String?
    public var meta: ConfigObject
    public var tags: [String]
    public var config: ConfigObject
    public var quoting: ConfigObject
    public var external: ConfigValue

    init(_ t: ConfigObject, name: String, file: String, source: String) throws {
        self.name = name
        identifier = t["identifier"]?.asString
        description = t["description"]?.asString ?? ""
        columns = try ResourceProperties.columns(t["columns"], file: file, owner: "\(source).\(name)")
        dataTests = (t["data_tests"]?.asArray ?? []) + (t["tests"]?.asArray ?? [])
        config = t["config"]?.asDict ?? ConfigObject()
        freshness = t["freshness"] ?? config["freshness"]
        loadedAtField = t["loaded_at_field"]?.asString ?? config["loaded_at_field"]?.asString
        loadedAtQuery = t["loaded_at_query"]?.asString ?? config["loaded_at_query"]?.asString
        meta = t["meta"]?.asDict ?? ConfigObject()
        tags = t["tags"]?.asStringList ?? []
        quoting = t["quoting"]?.asDict ?? ConfigObject()
        external = t["external"] ?? .null
    }
}

/// A `macros:` entry (descriptions and argument docs for macros).
public struct MacroProperties: Sendable, Hashable {
    public var name: String
    public var description: String
    public var arguments: [ConfigValue]
    public var meta: ConfigObject

    init(_ o: ConfigObject) {
        name = o["name"]?.pythonStr ?? ""
        description = o["description"]?.asString ?? ""
        arguments = o["arguments"]?.asArray ?? []
        meta = o["meta"]?.asDict ?? ConfigObject()
    }
}
