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
/// Field names and shapes are dbt-core 1.12's; tools that read dbt manifests (dbt's artifact
/// parser, docs sites, lineage tools) read this one. The JSON text is produced by Foundation's
/// `JSONSerialization` (sorted keys, so output is deterministic).
public enum ManifestWriter {
    /// The schema URL written as `dbt_schema_version`.
    public static let schemaVersion = "https://schemas.getdbt.com/dbt/manifest/v12.json"

    /// The manifest as a JSON object tree.
    public static func jsonObject(_ m: Manifest, metadata meta: ManifestMetadata = ManifestMetadata()) -> [String: Any] {
        let created = meta.generatedAt.timeIntervalSince1970
        var nodes: [String: Any] = [:]
        nodes.reserveCapacity(m.nodes.count)
        for (id, n) in m.nodes { nodes[id] = nodeJSON(n, meta: meta, created: created) }
        var sources: [String: Any] = [:]
        for (id, s) in m.sources { sources[id] = sourceJSON(s, meta: meta, created: created) }
        var macros: [String: Any] = [:]
        for (id, mac) in m.macros { macros[id] = macroJSON(mac, created: created) }
        var docs: [String: Any] = [:]
        for (id, d) in m.docs {
            docs[id] = ["name": d.name, "resource_type": "doc", "package_name": d.packageName, "path": d.path,
                        "original_file_path": d.originalFilePath, "unique_id": d.uniqueID, "block_contents": d.blockContents]
        }
        var disabled: [String: Any] = [:]
        for (id, list) in m.disabled { disabled[id] = list.map { nodeJSON($0, meta: meta, created: created) } }
        var selectors: [String: Any] = [:]
        for (name, v) in m.selectors {
            var s = v.asDict ?? ConfigObject()
            if s["description"] == nil { s["description"] = "" }
            selectors[name] = ConfigValue.dict(s).jsonObject
        }
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let generated = iso.string(from: meta.generatedAt)
        let metadata: [String: Any] = [
            "dbt_schema_version": schemaVersion,
            "dbt_version": meta.dbtVersion,
            "generated_at": generated,
            "invocation_id": meta.invocationID,
            "invocation_started_at": generated,
            "env": meta.env,
            "project_name": m.projectName,
            "project_id": Digest.md5Hex(m.projectName),
            "user_id": meta.userID as Any? ?? NSNull(),
            "send_anonymous_usage_stats": meta.sendAnonymousUsageStats,
            "adapter_type": meta.adapterType as Any? ?? NSNull(),
            "quoting": ConfigValue.dict(meta.quoting).jsonObject,
            "run_started_at": generated,
        ]
        return [
            "metadata": metadata, "nodes": nodes, "sources": sources, "macros": macros, "docs": docs,
            "exposures": [String: Any](), "metrics": [String: Any](), "groups": [String: Any](), "selectors": selectors,
            "disabled": disabled, "parent_map": m.parentMap, "child_map": m.childMap, "group_map": [String: Any](),
            "saved_queries": [String: Any](), "semantic_models": [String: Any](), "unit_tests": [String: Any](),
            "functions": [String: Any](),
        ]
    }

    /// The manifest as JSON bytes.
    /// - Throws: `.io` if Foundation refuses the object tree (it cannot for trees built here).
    public static func data(_ m: Manifest, metadata: ManifestMetadata = ManifestMetadata()) throws -> Data {
        do {
            return try JSONSerialization.data(withJSONObject: jsonObject(m, metadata: metadata), options: [.sortedKeys])
        } catch {
            throw ProjectError(.io, "could not encode manifest.json: \(error)")
        }
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

    static func orNull(_ s: String?) -> Any { s.map { $0 as Any } ?? NSNull() }

    static func refsJSON(_ refs: [RefArgs]) -> [Any] {
        refs.map { ["name": $0.name, "package": orNull($0.package), "version": orNull($0.version)] as [String: Any] }
    }

    static func columnsJSON(_ cols: [ColumnInfo]) -> [String: Any] {
        var out: [String: Any] = [:]
        for c in cols {
            out[c.name] = [
                "name": c.name, "description": c.description, "meta": ConfigValue.dict(c.meta).jsonObject,
                "data_type": orNull(c.dataType), "constraints": c.constraints.map(\.jsonObject),
                "quote": c.quote.map { $0 as Any } ?? NSNull(),
                "config": ["meta": ConfigValue.dict(c.meta).jsonObject, "tags": c.tags] as [String: Any],
                "tags": c.tags, "granularity": NSNull(), "dimension": NSNull(), "entity": NSNull(), "doc_blocks": [Any](),
            ] as [String: Any]
        }
        return out
    }

    static func nodeJSON(_ n: Node, meta: ManifestMetadata, created: Double) -> [String: Any] {
        let docs = n.config.values["docs"]?.jsonObject ?? (["show": true, "node_color": NSNull()] as [String: Any])
        var o: [String: Any] = [
            "database": orNull(n.database ?? n.config.database ?? meta.defaultDatabase),
            "schema": n.schema ?? n.config.schema ?? meta.defaultSchema,
            "name": n.name, "resource_type": n.resourceType.rawValue, "package_name": n.packageName, "path": n.path,
            "original_file_path": n.originalFilePath, "unique_id": n.uniqueID, "fqn": n.fqn,
            "alias": n.alias ?? n.config.alias ?? n.name,
            "checksum": ["name": n.checksum.name, "checksum": n.checksum.checksum],
            "config": ConfigValue.dict(n.config.values).jsonObject, "tags": n.tags, "description": n.description,
            "columns": columnsJSON(n.columns), "meta": ConfigValue.dict(n.meta).jsonObject, "group": NSNull(),
            "docs": docs, "patch_path": orNull(n.patchPath), "build_path": NSNull(),
            "unrendered_config": ConfigValue.dict(n.unrenderedConfig).jsonObject, "created_at": created,
            "relation_name": orNull(n.relationName), "raw_code": n.rawCode, "doc_blocks": n.docBlocks,
        ]
        if n.resourceType == .seed {
            o["root_path"] = orNull(n.rootPath)
            o["depends_on"] = ["macros": n.dependsOn.macros]
            return o
        }
        o["language"] = n.language
        o["refs"] = refsJSON(n.refs)
        o["sources"] = n.sources
        o["metrics"] = [Any]()
        o["functions"] = [Any]()
        o["depends_on"] = ["macros": n.dependsOn.macros, "nodes": n.dependsOn.nodes]
        o["compiled_path"] = NSNull()
        o["contract"] = ["enforced": n.config.contract["enforced"]?.asBool ?? false,
                         "alias_types": n.config.contract["alias_types"]?.asBool ?? true, "checksum": NSNull()] as [String: Any]
        if let code = n.compiledCode {
            o["compiled"] = true
            o["compiled_code"] = code
            o["extra_ctes_injected"] = true
            o["extra_ctes"] = [Any]()
            o["compiled_path"] = "target/compiled/\(n.packageName)/\(n.originalFilePath)"
        }
        switch n.resourceType {
        case .model:
            o["access"] = n.config.values["access"]?.asString ?? "protected"
            o["constraints"] = n.constraints.map(\.jsonObject)
            o["version"] = NSNull()
            o["latest_version"] = NSNull()
            o["deprecation_date"] = NSNull()
            o["primary_key"] = n.primaryKey
            o["time_spine"] = NSNull()
        case .operation:
            o["index"] = Int(n.name.split(separator: "-").last ?? "") as Any? ?? NSNull()
        case .test where n.testMetadata != nil:
            o["column_name"] = orNull(n.columnName)
            o["file_key_name"] = orNull(n.fileKeyName)
            o["attached_node"] = orNull(n.attachedNode)
            if let t = n.testMetadata {
                o["test_metadata"] = ["name": t.name, "kwargs": ConfigValue.dict(t.kwargs).jsonObject,
                                      "namespace": orNull(t.namespace)] as [String: Any]
            }
        default:
            break
        }
        return o
    }

    static func sourceJSON(_ s: SourceDefinition, meta: ManifestMetadata, created: Double) -> [String: Any] {
        let quoting: [String: Any] = ["database": s.quoting["database"]?.jsonObject ?? NSNull(),
                                      "schema": s.quoting["schema"]?.jsonObject ?? NSNull(),
                                      "identifier": s.quoting["identifier"]?.jsonObject ?? NSNull(),
                                      "column": s.quoting["column"]?.jsonObject ?? NSNull()]
        let config: [String: Any] = [
            "enabled": s.enabled, "event_time": s.config["event_time"]?.jsonObject ?? NSNull(),
            "freshness": s.freshness.jsonObject, "loaded_at_field": orNull(s.loadedAtField),
            "loaded_at_query": orNull(s.loadedAtQuery), "meta": ConfigValue.dict(s.meta).jsonObject, "tags": s.tags,
            "static_analysis": NSNull(),
        ]
        return [
            "database": orNull(s.database ?? meta.defaultDatabase), "schema": s.schema, "name": s.name,
            "resource_type": "source", "package_name": s.packageName, "path": s.path,
            "original_file_path": s.originalFilePath, "unique_id": s.uniqueID, "fqn": s.fqn, "source_name": s.sourceName,
            "source_description": s.sourceDescription, "loader": s.loader, "identifier": s.identifier, "quoting": quoting,
            "loaded_at_field": orNull(s.loadedAtField), "loaded_at_query": orNull(s.loadedAtQuery),
            "freshness": s.freshness.jsonObject, "external": s.external.jsonObject, "description": s.description,
            "columns": columnsJSON(s.columns), "meta": ConfigValue.dict(s.meta).jsonObject,
            "source_meta": ConfigValue.dict(s.sourceMeta).jsonObject, "tags": s.tags, "config": config,
            "patch_path": NSNull(), "unrendered_config": ConfigValue.dict(s.config).jsonObject,
            "relation_name": orNull(s.relationName), "created_at": created, "unrendered_database": orNull(s.unrenderedDatabase),
            "unrendered_schema": orNull(s.unrenderedSchema), "doc_blocks": [Any](),
        ]
    }

    static func macroJSON(_ m: MacroEntry, created: Double) -> [String: Any] {
        let docs: [String: Any] = ["show": true, "node_color": NSNull()]
        return [
            "name": m.name, "resource_type": "macro", "package_name": m.packageName, "path": m.path,
            "original_file_path": m.originalFilePath, "unique_id": m.uniqueID, "macro_sql": m.macroSQL,
            "depends_on": ["macros": m.dependsOnMacros], "description": m.description,
            "meta": ConfigValue.dict(m.meta).jsonObject, "docs": docs,
            "config": ["meta": ConfigValue.dict(m.meta).jsonObject, "docs": docs] as [String: Any],
            "patch_path": orNull(m.patchPath),
            "arguments": m.arguments.map { ["name": $0, "type": NSNull(), "description": ""] as [String: Any] },
            "created_at": created, "supported_languages": NSNull(),
        ]
    }
}
