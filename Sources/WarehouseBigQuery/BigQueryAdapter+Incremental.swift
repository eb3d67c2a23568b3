import Foundation
import Warehouse

// dbt-bigquery's incremental materialization (`incremental.sql`) with its two strategies,
// `merge` (the default) and `insert_overwrite` (static `partitions` or dynamic).
extension BigQueryAdapter {
    /// The temporary relation of an incremental run: `<identifier>__dbt_tmp`, expiring in 12 hours.
    func temporaryRelation(_ target: Relation) -> Relation { target.withIdentifier(target.identifier + "__dbt_tmp") }

    func incremental(_ build: ModelBuild) throws -> Materialized {
        let target = build.relation
        let existing = try getRelation(database: target.database, schema: target.schema, identifier: target.identifier)
        guard let existing, existing.kind == .table, !build.fullRefresh else {
            return try buildPartitionedTable(build, target: target, sql: build.compiledSQL)
        }
        let strategy = (build.incrementalStrategy ?? "merge").lowercased()
        guard strategy == "merge" || strategy == "insert_overwrite" else {
            throw WarehouseError(.query, "incremental_strategy '\(strategy)' of \(build.name) is not one BigQuery supports (merge, insert_overwrite)")
        }
        let partition = try BigQueryPartition(build.config["partition_by"])
        if strategy == "insert_overwrite" && partition == nil {
            throw WarehouseError(.query, "incremental_strategy insert_overwrite of \(build.name) needs partition_by")
        }
        let temporary = temporaryRelation(target)
        var executed: [String] = []
        var temporaryExists = false
        var destColumns = try columns(of: target)
        if build.onSchemaChange != "ignore" {
            let staged = try buildPartitionedTable(build, target: temporary, sql: build.compiledSQL, temporary: true)
            executed += staged.executedSQL
            temporaryExists = true
            let changes = try processSchemaChanges(build, target: target, temporary: temporary, current: destColumns)
            executed += changes.statements
            destColumns = changes.columns
        }
        let sql: String
        if strategy == "merge" {
            let names = destColumns.map(\.name)
            var updated = names
            if let only = build.config["merge_update_columns"]?.list?.compactMap(\.string), !only.isEmpty {
                let wanted = Set(only.map { $0.lowercased() })
                updated = names.filter { wanted.contains($0.lowercased()) }
            } else if let excluded = build.config["merge_exclude_columns"]?.list?.compactMap(\.string), !excluded.isEmpty {
                let unwanted = Set(excluded.map { $0.lowercased() })
                updated = names.filter { !unwanted.contains($0.lowercased()) }
            }
            let predicates = build.config["incremental_predicates"]?.list?.compactMap(\.string) ?? []
            sql = mergeSQL(target: target, source: temporaryExists ? "select * from \(render(temporary))" : build.compiledSQL,
                           uniqueKey: build.uniqueKey, columns: names, updateColumns: updated, predicates: predicates)
        } else if let partition, let partitions = build.config["partitions"]?.list, !partitions.isEmpty {
            let values = partitions.map(Self.settingText)
            let predicate = "\(partition.renderWrapped(alias: "DBT_INTERNAL_DEST")) in (\(values.joined(separator: ", ")))"
            let source = temporaryExists ? "select * from \(render(temporary))" : build.compiledSQL
            sql = insertOverwriteMergeSQL(target: target, source: "(\n\(Self.trimmed(source))\n)", columns: destColumns.map(\.name), predicate: predicate)
        } else if let partition {
            sql = try dynamicInsertOverwriteSQL(build, partition: partition, target: target, temporary: temporary,
                                                temporaryExists: temporaryExists, columns: destColumns.map(\.name))
            temporaryExists = true
        } else {
            throw WarehouseError(.query, "insert_overwrite of \(build.name) needs partition_by")
        }
        executed.append(sql)
        let response: AdapterResponse
        do {
            response = try execute(sql)
        } catch {
            if temporaryExists { try? dropRelation(temporary) }
            throw error
        }
        if temporaryExists {
            let drop = "drop table if exists \(render(temporary))"
            try execute(drop)
            executed.append(drop)
        }
        executed += try persistColumnDocs(build, target: target, view: false)
        return Materialized(response: response, executedSQL: executed)
    }

    /// dbt's `on_schema_change` (`process_schema_changes`): `fail` stops, `append_new_columns`
    /// adds the new columns, `sync_all_columns` also drops the missing ones.
    func processSchemaChanges(_ build: ModelBuild, target: Relation, temporary: Relation,
                              current: [Column]) throws -> (statements: [String], columns: [Column]) {
        let incoming = try columns(of: temporary)
        let currentNames = Set(current.map { $0.name.lowercased() })
        let incomingNames = Set(incoming.map { $0.name.lowercased() })
        let added = incoming.filter { !currentNames.contains($0.name.lowercased()) }
        let removed = current.filter { !incomingNames.contains($0.name.lowercased()) }
        guard !added.isEmpty || !removed.isEmpty else { return ([], current) }
        var statements: [String] = []
        var columns = current
        switch build.onSchemaChange {
        case "fail":
            throw WarehouseError(.query, "The source and target schemas of \(build.uniqueId) are out of sync: added "
                                 + "\(added.map(\.name)), removed \(removed.map(\.name)); run with --full-refresh or set on_schema_change")
        case "append_new_columns", "sync_all_columns":
            var alters = added.map { "add column \(quote($0.name)) \($0.dataType)" }
            columns += added
            if build.onSchemaChange == "sync_all_columns" {
                alters += removed.map { "drop column \(quote($0.name))" }
                columns.removeAll { column in removed.contains { $0.name.lowercased() == column.name.lowercased() } }
            }
            let alter = "alter table \(render(target))\n    " + alters.joined(separator: ",\n    ")
            try execute(alter)
            statements.append(alter)
        default:
            break
        }
        // Insert only what both sides have.
        return (statements, columns.filter { incomingNames.contains($0.name.lowercased()) })
    }

    /// dbt's `get_merge_sql`: update-or-insert on the unique key; without a key `on (FALSE)`,
    /// which inserts every row. `incremental_predicates` come first in the `on` clause;
    /// `updateColumns` (`merge_update_columns` / `merge_exclude_columns`) limit the update.
    func mergeSQL(target: Relation, source: String, uniqueKey: [String], columns: [String], updateColumns: [String]? = nil,
                  predicates: [String] = []) -> String {
        let csv = columns.map(quote).joined(separator: ", ")
        var conditions = predicates
        conditions += uniqueKey.isEmpty ? ["FALSE"] : uniqueKey.map { "DBT_INTERNAL_SOURCE.\(quote($0)) = DBT_INTERNAL_DEST.\(quote($0))" }
        let on = "(" + conditions.joined(separator: ") and (") + ")"
        let quoted = (updateColumns ?? columns).map(quote)
        var sql = "merge into \(render(target)) as DBT_INTERNAL_DEST\n    using (\n\(Self.trimmed(source))\n    ) as DBT_INTERNAL_SOURCE\n    on \(on)\n"
        if !uniqueKey.isEmpty {
            sql += "    when matched then update set\n        "
                + quoted.map { "\($0) = DBT_INTERNAL_SOURCE.\($0)" }.joined(separator: ",\n        ") + "\n"
        }
        sql += "    when not matched then insert\n        (\(csv))\n    values\n        (\(csv))"
        return sql
    }

    /// dbt's `get_insert_overwrite_merge_sql`: delete the target's rows in the replaced
    /// partitions and insert the new rows, in one `MERGE … ON FALSE`.
    func insertOverwriteMergeSQL(target: Relation, source: String, columns: [String], predicate: String) -> String {
        let csv = columns.map(quote).joined(separator: ", ")
        return "merge into \(render(target)) as DBT_INTERNAL_DEST\n    using \(source) as DBT_INTERNAL_SOURCE\n    on FALSE\n"
            + "    when not matched by source\n         and \(predicate)\n        then delete\n"
            + "    when not matched then insert\n        (\(csv))\n    values\n        (\(csv))"
    }

    /// dbt-bigquery's dynamic `insert_overwrite` script: build the temporary table, collect its
    /// partitions into `dbt_partitions_for_replacement`, merge them over the target, drop the
    /// temporary table; `_dbt_max_partition` is declared when the model's SQL uses it.
    func dynamicInsertOverwriteSQL(_ build: ModelBuild, partition: BigQueryPartition, target: Relation, temporary: Relation,
                                   temporaryExists: Bool, columns: [String]) throws -> String {
        var script = "-- generated script to merge partitions into \(render(target))\n"
        script += "declare dbt_partitions_for_replacement array<\(partition.partitionValueType)>;\n\n"
        if !temporaryExists {
            if build.compiledSQL.contains("_dbt_max_partition") {
                script += "declare _dbt_max_partition \(partition.partitionValueType) default (\n  select max(\(partition.field)) from \(render(target))\n  where \(partition.field) is not null\n);\n\n"
            }
            script += "-- 1. create a temp table with model data\n"
            script += "create or replace table \(render(temporary))\n" + (try tableClauses(build, temporary: true))
                + "as (\n\(Self.trimmed(build.compiledSQL))\n);\n"
        } else {
            script += "-- 1. temp table already exists, we used it to check for schema changes\n"
        }
        let field = partition.timeIngestionPartitioning ? "_PARTITIONTIME" : partition.renderWrapped()
        script += "\n-- 2. define partitions to update\nset (dbt_partitions_for_replacement) = (\n    select as struct\n"
            + "        -- IGNORE NULLS: this needs to be aligned to _dbt_max_partition, which ignores null\n"
            + "        array_agg(distinct \(field) IGNORE NULLS)\n    from \(render(temporary))\n);\n\n"
        script += "-- 3. run the merge statement\n"
        script += insertOverwriteMergeSQL(target: target, source: "(\nselect * from \(render(temporary))\n)", columns: columns,
                                          predicate: "\(partition.renderWrapped(alias: "DBT_INTERNAL_DEST")) in unnest(dbt_partitions_for_replacement)")
        script += ";\n\n-- 4. clean up the temp table\ndrop table if exists \(render(temporary))"
        return script
    }
}
