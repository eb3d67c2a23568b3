import Foundation
import Warehouse

// dbt's incremental materialization as dbt-postgres runs it (dbt-adapters
// `include/global_project/macros/materializations/models/incremental/incremental.sql`,
// `merge.sql`, `strategies.sql`, `on_schema_change.sql`; dbt-postgres
// `incremental_strategies.sql`, `postgres__make_temp_relation`), the same SQL sent.
extension PostgresAdapter {
    /// Builds an incremental model:
    ///
    /// - no relation yet: `create table <target> as (…)`;
    /// - the relation is a view, or `--full-refresh` applies: built under `__dbt_tmp` and swapped in;
    /// - otherwise the new rows go to `create temporary table "<name>__dbt_tmp<HHMMSSffffff>"`,
    ///   `character varying` columns of the target are widened to fit them, `on_schema_change`
    ///   is applied, and the strategy's statement runs: `merge` (PostgreSQL 15's `MERGE`),
    ///   `delete+insert`, or `append`; with no strategy, `delete+insert` when there is a
    ///   `unique_key` and `append` otherwise (`postgres__get_incremental_default_sql`).
    ///
    /// Two round trips for an incremental run (temporary table and both column lists, then the
    /// rest), one otherwise.
    /// - Throws: ``WarehouseError`` `.unsupported` for a strategy dbt-postgres lacks
    ///   (`insert_overwrite`) or that needs batches (`microbatch`), `.query` for an
    ///   `on_schema_change: fail` mismatch or PostgreSQL's error.
    func buildIncremental(_ build: ModelBuild) throws -> Materialized {
        let strategy = try Self.incrementalStrategy(build)
        let target = build.relation
        let kinds = try cachedKinds(schema: target.schema)
        let unlogged = build.config["unlogged"]?.bool ?? false
        let existing = kinds[target.identifier]
        let intermediate = intermediateRelation(for: target)
        let backup = backupRelation(for: target)
        // dbt drops leftovers of an earlier failed run first.
        var plan = BuildPlan()
        for stale in [intermediate, backup] {
            if let kind = kinds[stale.identifier] { plan.statements.append(Self.dropSQL(nativeRender(stale), kind: kind)) }
        }
        if existing == nil {
            plan.responseIndex = plan.statements.count
            plan.statements.append(createTableAsSQL(target, build.compiledSQL, unlogged: unlogged))
            plan.changes = [(target.identifier, .table), (intermediate.identifier, nil), (backup.identifier, nil)]
            return try run(plan, schema: target.schema)
        }
        if existing == .view || build.fullRefresh {
            let create = createTableAsSQL(intermediate, build.compiledSQL, unlogged: unlogged)
            return try run(swapPlan(target, create: create, isView: false, kinds: kinds), schema: target.schema)
        }

        // Round trip 1: the new rows in a temporary table, and the columns of both relations.
        let temporary = Self.temporaryIdentifier(for: target.identifier, at: Date())
        let createTemporary = "\n  create temporary table \(nativeQuote(temporary))\n  \n  \n    as\n  \n  (\n    \(Self.trimmedStatement(build.compiledSQL))\n  )"
        let staging = plan.statements + [createTemporary]
        let results: [PostgresResult]
        do {
            results = try withConnection {
                try $0.executeAll((staging + [columnsSQL(target: nativeRender(target), source: nativeQuote(temporary))]).joined(separator: ";\n"))
            }
        } catch {
            relationCache.invalidate(schema: target.schema)
            throw error
        }
        relationCache.record(schema: target.schema, [(intermediate.identifier, nil), (backup.identifier, nil)])
        var sourceColumns: [Column] = []
        var targetColumns: [Column] = []
        for row in results.last?.rows ?? [] {
            let column = Column(name: row[1] ?? "", dataType: row[2] ?? "")
            if row[0] == "t" { sourceColumns.append(column) } else { targetColumns.append(column) }
        }

        // Round trip 2: widen, apply on_schema_change, merge, drop the temporary table.
        var statements = try columnChanges(build, target: target, source: sourceColumns, targetColumns: &targetColumns)
        let destination = statements.schemaChanged ? sourceColumns : targetColumns
        let main = strategySQL(strategy, build: build, target: nativeRender(target), source: nativeQuote(temporary),
                               columns: destination.map(\.name))
        var second = BuildPlan(statements: statements.sql + [main.sql, "drop table if exists \(nativeQuote(temporary))"])
        second.responseIndex = statements.sql.count + main.results - 1
        let built = try run(second, schema: target.schema)
        statements.sql = staging + statements.sql + [main.sql]
        return Materialized(response: built.response, executedSQL: statements.sql)
    }

    /// The strategy dbt-postgres would use, checked before anything runs (as dbt's
    /// `adapter.get_incremental_strategy_macro` does).
    static func incrementalStrategy(_ build: ModelBuild) throws -> String {
        let requested = (build.incrementalStrategy ?? "default").lowercased()
        switch requested {
        case "default":
            return build.uniqueKey.isEmpty ? "append" : "delete+insert"
        case "append", "merge", "delete+insert":
            return requested
        case "microbatch":
            throw WarehouseError(.unsupported, "incremental_strategy 'microbatch' is not supported on PostgreSQL by OpsFlow yet (\(build.uniqueId))")
        default:
            // dbt's wording (`BaseAdapter.validate_incremental_strategy`… raised as a compiler error).
            throw WarehouseError(.unsupported, "The incremental strategy '\(requested)' is not valid for this adapter (\(build.uniqueId)); "
                                 + "use append, delete+insert or merge")
        }
    }

    /// dbt-postgres's temporary relation: `<identifier>__dbt_tmp<HHMMSSffffff>` (local time),
    /// the identifier cut so that the name fits PostgreSQL's 63 characters
    /// (`postgres__make_relation_with_suffix`).
    static func temporaryIdentifier(for identifier: String, at date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        localtime_r(&seconds, &parts)
        let micro = Int((date.timeIntervalSince1970 - Double(seconds)) * 1_000_000) % 1_000_000
        let suffix = "__dbt_tmp" + String(format: "%02d%02d%02d%06d", parts.tm_hour, parts.tm_min, parts.tm_sec, micro)
        return String(identifier.prefix(max(0, 63 - suffix.count))) + suffix
    }

    /// Columns of the target and the (temporary) source, in order: `is_source`, name, type
    /// (`format_type`'s names, as dbt-postgres's `get_columns_in_relation` gives them).
    func columnsSQL(target: String, source: String) -> String {
        func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
        return """
            select a.attrelid = \(literal(source))::regclass, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod)
            from pg_catalog.pg_attribute a
            where a.attrelid in (\(literal(target))::regclass, \(literal(source))::regclass) and a.attnum > 0 and not a.attisdropped
            order by a.attrelid = \(literal(source))::regclass, a.attnum
            """
    }

    /// The statements that bring the target's columns in line before the merge: dbt's
    /// `expand_target_column_types` (a `character varying(n)` column grows to the new rows'
    /// size) then `process_schema_changes` for `on_schema_change`.
    private func columnChanges(_ build: ModelBuild, target: Relation, source: [Column],
                               targetColumns: inout [Column]) throws -> (sql: [String], schemaChanged: Bool) {
        let rendered = nativeRender(target)
        var sql: [String] = []
        func alterType(_ name: String, to type: String) -> String {
            // dbt's `default__alter_column_type`: a new column, copy, drop, rename.
            let temporary = nativeQuote(name + "__dbt_alter")
            return "alter table \(rendered) add column \(temporary) \(type);\n"
                + "update \(rendered) set \(temporary) = \(nativeQuote(name));\n"
                + "alter table \(rendered) drop column \(nativeQuote(name)) cascade;\n"
                + "alter table \(rendered) rename column \(temporary) to \(nativeQuote(name))"
        }
        let sourceByName = Dictionary(source.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for (index, column) in targetColumns.enumerated() {
            guard let new = sourceByName[column.name], let have = Self.varcharSize(column.dataType),
                  let need = Self.varcharSize(new.dataType), have < need else { continue }
            sql.append(alterType(column.name, to: new.dataType))
            targetColumns[index].dataType = new.dataType
        }
        let policy = build.onSchemaChange.lowercased()
        guard policy != "ignore" else { return (sql, false) }
        let targetNames = Set(targetColumns.map(\.name))
        let sourceNames = Set(source.map(\.name))
        let added = source.filter { !targetNames.contains($0.name) }
        let removed = targetColumns.filter { !sourceNames.contains($0.name) }
        let retyped = targetColumns.compactMap { column -> Column? in
            guard let new = sourceByName[column.name], new.dataType != column.dataType else { return nil }
            return new
        }
        guard !added.isEmpty || !removed.isEmpty || !retyped.isEmpty else { return (sql, false) }
        switch policy {
        case "fail":
            // dbt's message (`process_schema_changes`).
            throw WarehouseError(.query, """
                The source and target schemas on this incremental model are out of sync!
                  They can be reconciled in several ways:
                    - set the `on_schema_change` config to either append_new_columns or sync_all_columns, depending on your situation.
                    - Re-run the incremental model with `full_refresh: True` to update the target schema.
                    - update the schema manually and re-run the process.

                  Additional troubleshooting context:
                     Source columns not in target: \(added.map(\.name))
                     Target columns not in source: \(removed.map(\.name))
                     New column types: \(retyped.map { "\($0.name): \($0.dataType)" })
                """)
        case "append_new_columns", "sync_all_columns":
            let sync = policy == "sync_all_columns"
            var clauses = added.map { "add column \(nativeQuote($0.name)) \($0.dataType)" }
            if sync { clauses += removed.map { "drop column \(nativeQuote($0.name))" } }
            if !clauses.isEmpty { sql.append("alter table \(rendered)\n    " + clauses.joined(separator: ",\n    ")) }
            if sync { sql += retyped.map { alterType($0.name, to: $0.dataType) } }
            return (sql, true)
        default:
            throw WarehouseError(.query, "Invalid value for on_schema_change (\(build.onSchemaChange)) specified for \(build.uniqueId); "
                                 + "use ignore, fail, append_new_columns or sync_all_columns")
        }
    }

    /// `n` of `character varying(n)`, else nil.
    static func varcharSize(_ type: String) -> Int? {
        guard type.hasPrefix("character varying("), type.hasSuffix(")") else { return nil }
        return Int(type.dropFirst("character varying(".count).dropLast())
    }

    /// The strategy's SQL, as dbt's macros write it, and how many results it gives.
    func strategySQL(_ strategy: String, build: ModelBuild, target: String, source: String,
                     columns: [String]) -> (sql: String, results: Int) {
        let csv = columns.map(nativeQuote).joined(separator: ", ")
        let predicates = (build.config["incremental_predicates"] ?? build.config["predicates"])?.list?.compactMap(\.string) ?? []
        let insert = "insert into \(target) (\(csv))\n    (\n        select \(csv)\n        from \(source)\n    )"
        switch strategy {
        case "merge":
            return (mergeSQL(build, target: target, source: source, columns: columns, predicates: predicates), 1)
        case "delete+insert" where !build.uniqueKey.isEmpty:
            // `default__get_delete_insert_merge_sql`: the key names as written (not quoted).
            let keys = build.uniqueKey.joined(separator: ", ")
            var delete = "delete from \(target) as DBT_INTERNAL_DEST\n        where (\(keys)) in (\n            select distinct \(keys)\n"
                + "            from \(source) as DBT_INTERNAL_SOURCE\n        )"
            for predicate in predicates { delete += "\n                and \(predicate)" }
            return (delete + ";\n\n    " + insert, 2)
        default:
            return (insert, 1)
        }
    }

    /// dbt's `default__get_merge_sql` on PostgreSQL 15's `MERGE`: matched on the unique key
    /// (`postgres__equals`: `=`), every destination column updated (or `merge_update_columns`, or
    /// all but `merge_exclude_columns`), the others inserted. Without a key, `on (FALSE)`: an insert.
    func mergeSQL(_ build: ModelBuild, target: String, source: String, columns: [String], predicates: [String]) -> String {
        var conditions = predicates
        let keyIsList: Bool = if case .list? = build.config["unique_key"] { true } else { false }
        if build.uniqueKey.isEmpty {
            conditions.append("FALSE")
        } else if keyIsList || build.uniqueKey.count > 1 {
            conditions += build.uniqueKey.map { "\n                    DBT_INTERNAL_SOURCE.\($0) = DBT_INTERNAL_DEST.\($0)\n                " }
        } else {
            conditions.append("(DBT_INTERNAL_SOURCE.\(build.uniqueKey[0]) = DBT_INTERNAL_DEST.\(build.uniqueKey[0]))")
        }
        let csv = columns.map(nativeQuote).joined(separator: ", ")
        var sql = "merge into \(target) as DBT_INTERNAL_DEST\n        using \(source) as DBT_INTERNAL_SOURCE\n"
            + "        on (" + conditions.joined(separator: ") and (") + ")\n"
        if !build.uniqueKey.isEmpty {
            let updates = mergeUpdateColumns(build, columns: columns)
                .map { "\($0) = DBT_INTERNAL_SOURCE.\($0)" }.joined(separator: ",")
            sql += "\n    when matched then update set\n        \(updates)\n"
        }
        sql += "\n    when not matched then insert\n        (\(csv))\n    values\n        (\(csv))\n"
        return sql
    }

    /// `default__get_merge_update_columns`: `merge_update_columns` as written, or the quoted
    /// destination columns not in `merge_exclude_columns` (case-insensitive), or all of them.
    func mergeUpdateColumns(_ build: ModelBuild, columns: [String]) -> [String] {
        if let only = build.config["merge_update_columns"]?.list?.compactMap(\.string), !only.isEmpty {
            return only
        }
        let excluded = Set((build.config["merge_exclude_columns"]?.list?.compactMap(\.string) ?? []).map { $0.lowercased() })
        return columns.filter { !excluded.contains($0.lowercased()) }.map(nativeQuote)
    }
}
