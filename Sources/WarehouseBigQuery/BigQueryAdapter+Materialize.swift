import Foundation
import Warehouse

// Models built the dbt-bigquery way: `CREATE OR REPLACE TABLE … PARTITION BY … CLUSTER BY …
// OPTIONS(…) AS`, views with OPTIONS, and the incremental strategies merge and insert_overwrite
// (dbt-bigquery `macros/materializations/{table,view,incremental}.sql`,
// `incremental_strategy/{merge,insert_overwrite}.sql`, `adapters.sql`).
extension BigQueryAdapter {
    /// Builds views, tables and incremental models with BigQuery's DDL options; always returns a result.
    /// - Throws: ``WarehouseError`` with BigQuery's reason and message; a failed
    ///   `CREATE OR REPLACE` or `MERGE` leaves the previous relation as it was.
    public func materialize(_ build: ModelBuild) throws -> Materialized? {
        switch build.materialized {
        case "view":
            return try buildView(build.relation, sql: build.compiledSQL, options: Self.optionsClause(viewOptions(build)))
        case "table":
            return try buildPartitionedTable(build, target: build.relation, sql: build.compiledSQL)
        case "incremental":
            return try incremental(build)
        default:
            return nil
        }
    }

    // MARK: - DDL pieces

    /// `OPTIONS(k=v, …)\n`, or "" without options.
    static func optionsClause(_ options: [(String, String)]) -> String {
        options.isEmpty ? "" : "OPTIONS(\n      " + options.map { "\($0.0)=\($0.1)" }.joined(separator: ", ") + "\n    )\n"
    }

    /// A GoogleSQL string literal (`'…'` with `\`, `'` and control characters escaped).
    static func stringLiteral(_ text: String) -> String {
        var out = "'"
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "'"
    }

    /// Whether `persist_docs` asks for `key` (`relation` or `columns`).
    static func persistDocs(_ build: ModelBuild, _ key: String) -> Bool {
        build.config["persist_docs"]?[key]?.bool ?? false
    }

    /// The options every relation gets (dbt-bigquery `get_common_options`): the description when
    /// `persist_docs.relation` is on, and `labels`.
    func commonOptions(_ build: ModelBuild) -> [(String, String)] {
        var options: [(String, String)] = []
        if Self.persistDocs(build, "relation"), !build.description.isEmpty {
            options.append(("description", Self.stringLiteral(build.description)))
        }
        if let labels = build.config["labels"]?.dict, !labels.isEmpty {
            let pairs = labels.keys.sorted().map { key -> String in
                let value = labels[key].map(Self.settingText) ?? ""
                return "(\(Self.stringLiteral(key)), \(Self.stringLiteral(value)))"
            }
            options.append(("labels", "[" + pairs.joined(separator: ", ") + "]"))
        }
        if let hours = build.config["hours_to_expiration"]?.int {
            options.append(("expiration_timestamp", "TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL \(hours) hour)"))
        }
        return options
    }

    static func settingText(_ setting: ConfigSetting) -> String {
        switch setting {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return b ? "true" : "false"
        default: return ""
        }
    }

    func viewOptions(_ build: ModelBuild) -> [(String, String)] { commonOptions(build) }

    /// Table options (dbt-bigquery `get_table_options`): common options, `kms_key_name`,
    /// `require_partition_filter`, `partition_expiration_days`; temporary tables expire in 12 hours.
    func tableOptions(_ build: ModelBuild, temporary: Bool) -> [(String, String)] {
        var options = temporary ? [] : commonOptions(build)
        if temporary {
            options.append(("expiration_timestamp", "TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 12 hour)"))
        }
        if let key = build.config["kms_key_name"]?.string { options.append(("kms_key_name", Self.stringLiteral(key))) }
        if !temporary {
            if build.config["require_partition_filter"]?.bool == true { options.append(("require_partition_filter", "true")) }
            if let days = build.config["partition_expiration_days"]?.int { options.append(("partition_expiration_days", String(days))) }
        }
        return options
    }

    /// The cluster columns (`cluster_by`: a name or a list), at most four as BigQuery allows.
    static func clusterBy(_ build: ModelBuild) throws -> [String] {
        let names = (build.config["cluster_by"]?.list ?? []).compactMap(\.string)
        guard names.count <= 4 else {
            throw WarehouseError(.query, "cluster_by of \(build.name) names \(names.count) columns; BigQuery allows at most 4")
        }
        return names
    }

    /// `PARTITION BY …\nCLUSTER BY …\nOPTIONS(…)\n` for a table.
    func tableClauses(_ build: ModelBuild, temporary: Bool) throws -> String {
        var clauses = ""
        if let partition = try BigQueryPartition(build.config["partition_by"]) {
            clauses += "partition by \(partition.render())\n"
        }
        let cluster = try Self.clusterBy(build)
        if !cluster.isEmpty { clauses += "cluster by \(cluster.joined(separator: ", "))\n" }
        return clauses + Self.optionsClause(tableOptions(build, temporary: temporary))
    }

    // MARK: - Tables

    /// dbt-bigquery's table materialization: `create or replace table … as (…)`. An existing
    /// relation that is a view, or a table partitioned or clustered differently (BigQuery refuses
    /// to replace those, dbt's `is_replaceable`), is dropped first.
    func buildPartitionedTable(_ build: ModelBuild, target: Relation, sql: String, temporary: Bool = false) throws -> Materialized {
        let partition = try BigQueryPartition(build.config["partition_by"])
        if let partition, partition.timeIngestionPartitioning, !temporary {
            return try buildIngestionTimeTable(build, partition: partition, target: target, sql: sql)
        }
        let clauses = try tableClauses(build, temporary: temporary)
        var dropFirst = false
        if !temporary, let existing = try tableResource(target), existing["type"] as? String == "TABLE" {
            dropFirst = !isReplaceable(existing, partition: partition, cluster: try Self.clusterBy(build))
        }
        var built = try buildTable(target, sql: sql, options: clauses, dropFirst: dropFirst)
        if !temporary { built.executedSQL += try persistColumnDocs(build, target: target, view: false) }
        return built
    }

    /// Whether the existing table's partitioning and clustering match (dbt-bigquery `is_replaceable`).
    func isReplaceable(_ table: [String: Any], partition: BigQueryPartition?, cluster: [String]) -> Bool {
        let time = table["timePartitioning"] as? [String: Any]
        let range = table["rangePartitioning"] as? [String: Any]
        let clustered = (table["clustering"] as? [String: Any])?["fields"] as? [String] ?? []
        guard clustered.map({ $0.lowercased() }) == cluster.map({ $0.lowercased() }) else { return false }
        guard let partition else { return time == nil && range == nil }
        if partition.dataType == "int64" {
            return (range?["field"] as? String)?.lowercased() == partition.field.lowercased()
        }
        guard let time else { return false }
        if partition.timeIngestionPartitioning { return time["field"] == nil }
        return (time["field"] as? String)?.lowercased() == partition.field.lowercased()
            && (time["type"] as? String)?.lowercased() == partition.granularity
    }

    /// Ingestion-time partitioning (dbt-bigquery `bq_create_table_as` with
    /// `time_ingestion_partitioning`): the table is declared with the query's columns (from a dry
    /// run) minus the partition field, then filled with `insert … (_PARTITIONTIME, …)`.
    func buildIngestionTimeTable(_ build: ModelBuild, partition: BigQueryPartition, target: Relation, sql: String) throws -> Materialized {
        let fields = try translating(sql) {
            let job = try client.runJob(configuration: jobConfiguration(sql, dryRun: true))
            let query = (job["statistics"] as? [String: Any])?["query"] as? [String: Any]
            return (query?["schema"] as? [String: Any])?["fields"] as? [[String: Any]] ?? []
        }
        let columns = fields.compactMap { field -> (String, String)? in
            guard let name = field["name"] as? String, name.lowercased() != partition.field.lowercased() else { return nil }
            return (name, BigQueryValues.typeName(field))
        }
        guard !columns.isEmpty else { throw WarehouseError(.query, "the dry run of \(build.name) returned no columns besides \(partition.field)") }
        let definitions = columns.map { "\(quote($0.0)) \($0.1)" }.joined(separator: ", ")
        let cluster = try Self.clusterBy(build)
        let create = "create or replace table \(render(target)) (\(definitions))\npartition by \(partition.render())\n"
            + (cluster.isEmpty ? "" : "cluster by \(cluster.joined(separator: ", "))\n") + Self.optionsClause(tableOptions(build, temporary: false))
        let names = columns.map { quote($0.0) }.joined(separator: ", ")
        let insert = "insert into \(render(target)) (_partitiontime, \(names))\nselect timestamp(\(quote(partition.field))), \(names) from (\n\(Self.trimmed(sql))\n)"
        if let existing = try getRelation(database: target.database, schema: target.schema, identifier: target.identifier) {
            try dropRelation(existing)
        }
        try execute(create)
        return Materialized(response: try execute(insert), executedSQL: [create, insert])
    }

    /// `alter table|view … alter column … set options(description=…)` for documented columns when
    /// `persist_docs.columns` is on (dbt-bigquery patches the schema the same way).
    func persistColumnDocs(_ build: ModelBuild, target: Relation, view: Bool) throws -> [String] {
        guard Self.persistDocs(build, "columns"), !build.columnDescriptions.isEmpty else { return [] }
        let existing = Set(try columns(of: target).map { $0.name.lowercased() })
        var statements: [String] = []
        for name in build.columnDescriptions.keys.sorted() where existing.contains(name.lowercased()) {
            guard let text = build.columnDescriptions[name], !text.isEmpty else { continue }
            statements.append("alter \(view ? "view" : "table") \(render(target)) alter column \(quote(name)) set options(description=\(Self.stringLiteral(text)))")
        }
        if !statements.isEmpty { try execute(statements.joined(separator: ";\n")) }
        return statements
    }
}
