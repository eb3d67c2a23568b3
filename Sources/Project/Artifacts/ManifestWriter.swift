import Foundation

/// `metadata` of `manifest.json` and the defaults for fields Compile may not have filled.
public struct ManifestMetadata: Sendable {
    /// The dbt version whose artifacts these mirror (`dbt_version`).
    public var dbtVersion: String = "1.12.0"
    public var invocationID: String = UUID().uuidString.lowercased()
    public var generatedAt: Date = Date()
    public var adapterType: String?
    /// `DBT_ENV_CUSTOM_ENV_*` variables, as dbt reports them.
    public var env: [String: String] = [:]
    public var userID: String?
    public var sendAnonymousUsageStats: Bool = false
    /// Used for nodes whose `database`/`schema` Compile has not set (the target's).
    public var defaultDatabase: String?
    public var defaultSchema: String = "main"
    public var quoting: ConfigObject = ["database": true, "schema": true, "identifier": true, "column": nil]

    public init() {}
}

/// Writes `manifest.json` in dbt's schema v12 (https://schemas.getdbt.com/dbt/manifest/v12.json).
///
/// Field names, shapes and key order are dbt-core 1.12's; tools that read dbt manifests (dbt's
/// artifact parser, docs sites, lineage tools) read this one. The tree is built as `ConfigValue`s
/// (ordered dictionaries) and serialized by `ConfigValue.writeJSON`; maps keyed by unique id
/// are written in sorted key order, so the output is deterministic.
public enum ManifestWriter {
    /// The schema URL written as `dbt_schema_version`.
    public static let schemaVersion = "https://schemas.getdbt.com/dbt/manifest/v12.json"

    /// The manifest as an ordered JSON tree.
    public static func tree(_ m: Manifest, metadata meta: ManifestMetadata = ManifestMetadata()) -> ConfigValue {
        let created = meta.generatedAt.timeIntervalSince1970
        func sortedMap<T>(_ d: [String: T], _ f: (T) -> ConfigValue) -> ConfigValue {
            .dict(ConfigObject(d.sorted { $0.key < $1.key }.map { (key: $0.key, value: f($0.value)) }))
        }
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let generated = iso.string(from: meta.generatedAt)
        var md = ConfigObject()
        md["dbt_schema_version"] = .string(schemaVersion)
        md["dbt_version"] = .string(meta.dbtVersion)
        md["generated_at"] = .string(generated)
        md["invocation_id"] = .string(meta.invocationID)
        md["invocation_started_at"] = .string(generated)
        md["env"] = sortedMap(meta.env) { .string($0) }
        md["project_name"] = .string(m.projectName)
        md["project_id"] = .string(Digest.md5Hex(m.projectName))
        md["user_id"] = orNull(meta.userID)
        md["send_anonymous_usage_stats"] = .bool(meta.sendAnonymousUsageStats)
        md["adapter_type"] = orNull(meta.adapterType)
        md["quoting"] = .dict(meta.quoting)
        md["run_started_at"] = .string(generated)

        var selectors = ConfigObject()
        for (name, v) in m.selectors {
            var s = v.asDict ?? ConfigObject()
            if s["description"] == nil { s["description"] = "" }
            selectors[name] = .dict(s)
        }
        var root = ConfigObject()
        root["metadata"] = .dict(md)
        root["nodes"] = sortedMap(m.nodes) { nodeJSON($0, meta: meta, created: created) }
        root["sources"] = sortedMap(m.sources) { sourceJSON($0, meta: meta, created: created) }
        root["macros"] = sortedMap(m.macros) { macroJSON($0, created: created) }
        root["docs"] = sortedMap(m.docs) { d in
            obj(["name": .string(d.name), "resource_type": "doc", "package_name": .string(d.packageName),
                 "path": .string(d.path), "original_file_path": .string(d.originalFilePath),
                 "unique_id": .string(d.uniqueID), "block_contents": .string(d.blockContents)])
        }
        root["exposures"] = [:]
        root["metrics"] = [:]
        root["groups"] = [:]
        root["selectors"] = .dict(selectors)
        root["disabled"] = sortedMap(m.disabled) { .array($0.map { nodeJSON($0, meta: meta, created: created) }) }
        root["parent_map"] = sortedMap(m.parentMap) { strings($0) }
        root["child_map"] = sortedMap(m.childMap) { strings($0) }
        root["group_map"] = [:]
        root["saved_queries"] = [:]
        root["semantic_models"] = [:]
        root["unit_tests"] = [:]
        root["functions"] = [:]
        return .dict(root)
    }

    /// The manifest as JSON bytes.
    /// - Throws: `.io` if the encoder fails (it cannot for trees built here).
    public static func data(_ m: Manifest, metadata: ManifestMetadata = ManifestMetadata()) throws -> Data {
        do {
            return try encodeInParallel(tree(m, metadata: metadata))
        } catch let e as ProjectError {
            throw e
        } catch {
            throw ProjectError(.io, "could not encode manifest.json: \(error)")
        }
    }

    /// Encodes the tree one entry of each large map (`nodes`, `sources`, …) at a time on every
    /// core (``ConfigValue/jsonBytes``), and joins the pieces in order.
    static func encodeInParallel(_ tree: ConfigValue) throws -> Data {
        guard case .dict(let root) = tree else { return try JSONEncoder().encode(tree) }
        var jobs: [ConfigValue] = []
        var layout: [(key: String, children: [String]?)] = []
        for (k, v) in root {
            if case .dict(let d) = v, d.count > 64 {
                layout.append((k, d.keys))
                for (_, child) in d { jobs.append(child) }
            } else {
                layout.append((k, nil))
                jobs.append(v)
            }
        }
        let results = UnsafeResultBuffer<Result<Data, Error>>(count: jobs.count)
        let work = jobs
        DispatchQueue.concurrentPerform(iterations: work.count) { i in
            results[i] = .success(Data(work[i].jsonBytes))
        }
        var out = Data()
        out.append(UInt8(ascii: "{"))
        var next = 0
        func piece() throws -> Data {
            defer { next += 1 }
            guard let r = results[next] else { throw ProjectError(.io, "could not encode manifest.json") }
            return try r.get()
        }
        for (i, entry) in layout.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: ConfigValue.string(entry.key).jsonBytes)
            out.append(UInt8(ascii: ":"))
            guard let children = entry.children else { out.append(try piece()); continue }
            out.append(UInt8(ascii: "{"))
            for (j, child) in children.enumerated() {
                if j > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: ConfigValue.string(child).jsonBytes)
                out.append(UInt8(ascii: ":"))
                out.append(try piece())
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Writes `<targetDir>/manifest.json`, creating the folder; written to a temporary file then
    /// renamed, so a reader never sees half a manifest.
    /// - Throws: `.io`.
    public static func write(_ m: Manifest, to targetDir: String, metadata: ManifestMetadata = ManifestMetadata()) throws {
        let bytes = try data(m, metadata: metadata)
        do {
            try FileManager.default.createDirectory(atPath: targetDir, withIntermediateDirectories: true)
            let url = URL(fileURLWithPath: targetDir).appendingPathComponent("manifest.json")
            try bytes.write(to: url, options: .atomic)
        } catch {
            throw ProjectError(.io, "could not write \(targetDir)/manifest.json: \(error.localizedDescription)",
                               location: SourceLocation(file: targetDir + "/manifest.json"))
        }
    }

    // MARK: - Pieces

    static func orNull(_ s: String?) -> ConfigValue { s.map(ConfigValue.string) ?? .null }
    static func strings(_ a: [String]) -> ConfigValue { .array(a.map(ConfigValue.string)) }
    static func obj(_ pairs: KeyValuePairs<String, ConfigValue>) -> ConfigValue {
        .dict(ConfigObject(pairs.map { (key: $0.key, value: $0.value) }))
    }

    static func refsJSON(_ refs: [RefArgs]) -> ConfigValue {
        .array(refs.map { obj(["name": .string($0.name), "package": orNull($0.package), "version": orNull($0.version)]) })
    }

    static func columnsJSON(_ cols: [ColumnInfo]) -> ConfigValue {
        var out = ConfigObject()
        for c in cols {
            out[c.name] = obj([
                "name": .string(c.name), "description": .string(c.description), "meta": .dict(c.meta),
                "data_type": orNull(c.dataType), "constraints": .array(c.constraints), "quote": c.quote.map(ConfigValue.bool) ?? .null,
                "config": obj(["meta": .dict(c.meta), "tags": strings(c.tags)]), "tags": strings(c.tags),
                "granularity": nil, "dimension": nil, "entity": nil, "doc_blocks": [],
            ])
        }
        return .dict(out)
    }

    static func nodeJSON(_ n: Node, meta: ManifestMetadata, created: Double) -> ConfigValue {
        var o = ConfigObject()
        o["database"] = orNull(n.database ?? n.config.database ?? meta.defaultDatabase)
        o["schema"] = .string(n.schema ?? n.config.schema ?? meta.defaultSchema)
        o["name"] = .string(n.name)
        o["resource_type"] = .string(n.resourceType.rawValue)
        o["package_name"] = .string(n.packageName)
        o["path"] = .string(n.path)
        o["original_file_path"] = .string(n.originalFilePath)
        o["unique_id"] = .string(n.uniqueID)
        o["fqn"] = strings(n.fqn)
        o["alias"] = .string(n.alias ?? n.config.alias ?? n.name)
        o["checksum"] = obj(["name": .string(n.checksum.name), "checksum": .string(n.checksum.checksum)])
        o["config"] = .dict(n.config.values)
        o["tags"] = strings(n.tags)
        o["description"] = .string(n.description)
        o["columns"] = columnsJSON(n.columns)
        o["meta"] = .dict(n.meta)
        o["group"] = nil
        o["docs"] = n.config.values["docs"] ?? obj(["show": true, "node_color": nil])
        o["patch_path"] = orNull(n.patchPath)
        o["build_path"] = nil
        o["unrendered_config"] = .dict(n.unrenderedConfig)
        o["created_at"] = .double(created)
        o["relation_name"] = orNull(n.relationName)
        o["raw_code"] = .string(n.rawCode)
        o["doc_blocks"] = strings(n.docBlocks)
        if n.resourceType == .seed {
            o["root_path"] = orNull(n.rootPath)
            o["depends_on"] = obj(["macros": strings(n.dependsOn.macros)])
            return .dict(o)
        }
        o["language"] = .string(n.language)
        o["refs"] = refsJSON(n.refs)
        o["sources"] = .array(n.sources.map(strings))
        o["metrics"] = []
        o["functions"] = []
        o["depends_on"] = obj(["macros": strings(n.dependsOn.macros), "nodes": strings(n.dependsOn.nodes)])
        o["compiled_path"] = nil
        if let code = n.compiledCode {
            o["compiled_path"] = .string("target/compiled/\(n.packageName)/\(n.originalFilePath)")
            o["compiled"] = true
            o["compiled_code"] = .string(code)
            o["extra_ctes_injected"] = true
            o["extra_ctes"] = []
        }
        o["contract"] = obj(["enforced": .bool(n.config.contract["enforced"]?.asBool ?? false),
                             "alias_types": .bool(n.config.contract["alias_types"]?.asBool ?? true), "checksum": nil])
        switch n.resourceType {
        case .model:
            o["access"] = .string(n.config.values["access"]?.asString ?? "protected")
            o["constraints"] = .array(n.constraints)
            o["version"] = nil
            o["latest_version"] = nil
            o["deprecation_date"] = nil
            o["primary_key"] = strings(n.primaryKey)
            o["time_spine"] = nil
        case .operation:
            o["index"] = Int(n.name.split(separator: "-").last ?? "").map(ConfigValue.int) ?? .null
        case .test where n.testMetadata != nil:
            o["column_name"] = orNull(n.columnName)
            o["file_key_name"] = orNull(n.fileKeyName)
            o["attached_node"] = orNull(n.attachedNode)
            if let t = n.testMetadata {
                o["test_metadata"] = obj(["name": .string(t.name), "kwargs": .dict(t.kwargs), "namespace": orNull(t.namespace)])
            }
        default:
            break
        }
        return .dict(o)
    }

    static func sourceJSON(_ s: SourceDefinition, meta: ManifestMetadata, created: Double) -> ConfigValue {
        let quoting = obj(["database": s.quoting["database"] ?? nil, "schema": s.quoting["schema"] ?? nil,
                           "identifier": s.quoting["identifier"] ?? nil, "column": s.quoting["column"] ?? nil])
        let config = obj([
            "enabled": .bool(s.enabled), "event_time": s.config["event_time"] ?? nil, "freshness": s.freshness,
            "loaded_at_field": orNull(s.loadedAtField), "loaded_at_query": orNull(s.loadedAtQuery), "meta": .dict(s.meta),
            "tags": strings(s.tags), "static_analysis": nil,
        ])
        return obj([
            "database": orNull(s.database ?? meta.defaultDatabase), "schema": .string(s.schema), "name": .string(s.name),
            "resource_type": "source", "package_name": .string(s.packageName), "path": .string(s.path),
            "original_file_path": .string(s.originalFilePath), "unique_id": .string(s.uniqueID), "fqn": strings(s.fqn),
            "source_name": .string(s.sourceName), "source_description": .string(s.sourceDescription),
            "loader": .string(s.loader), "identifier": .string(s.identifier), "quoting": quoting,
            "loaded_at_field": orNull(s.loadedAtField), "loaded_at_query": orNull(s.loadedAtQuery),
            "freshness": s.freshness, "external": s.external, "description": .string(s.description),
            "columns": columnsJSON(s.columns), "meta": .dict(s.meta), "source_meta": .dict(s.sourceMeta),
            "tags": strings(s.tags), "config": config, "patch_path": nil, "unrendered_config": .dict(s.config),
            "relation_name": orNull(s.relationName), "created_at": .double(created),
            "unrendered_database": orNull(s.unrenderedDatabase), "unrendered_schema": orNull(s.unrenderedSchema),
            "doc_blocks": [],
        ])
    }

    static func macroJSON(_ m: MacroEntry, created: Double) -> ConfigValue {
        let docs = obj(["show": true, "node_color": nil])
        return obj([
            "name": .string(m.name), "resource_type": "macro", "package_name": .string(m.packageName),
            "path": .string(m.path), "original_file_path": .string(m.originalFilePath), "unique_id": .string(m.uniqueID),
            "macro_sql": .string(m.macroSQL), "depends_on": obj(["macros": strings(m.dependsOnMacros)]),
            "description": .string(m.description), "meta": .dict(m.meta), "docs": docs,
            "config": obj(["meta": .dict(m.meta), "docs": docs]), "patch_path": orNull(m.patchPath),
            "arguments": .array(m.arguments.map { obj(["name": .string($0), "type": nil, "description": ""]) }),
            "created_at": .double(created), "supported_languages": nil,
        ])
    }
}
