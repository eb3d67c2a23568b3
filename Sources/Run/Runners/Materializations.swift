import Warehouse

/// What executing one node did in the warehouse.
public struct ExecutionOutcome: Sendable {
    public var status: NodeStatus
    /// dbt's result message: `OK`, `Got 3 results, configured to fail if != 0`, …
    public var message: String
    public var response: AdapterResponse?
    /// Every statement sent, in order (written to `target/run`).
    public var executedSQL: [String]
    public var failures: Int?
}

/// The view, table, incremental and ephemeral materializations, in Swift rather than Jinja:
/// the same statements dbt's default materializations send (`include/global_project/macros/
/// materializations/models/`), through the adapter's primitives so every warehouse shares them.
enum ModelMaterializer {
    /// Builds a model.
    /// - Throws: ``WarehouseError`` from the warehouse, or ``RunError`` for an unknown
    ///   materialization or an `on_schema_change: fail` mismatch. The previous relation is intact
    ///   whenever this throws.
    static func run(_ node: ExecutableNode, adapter: any Adapter) throws -> ExecutionOutcome {
        // dbt runs pre-hooks, the build and post-hooks in one transaction (hooks default to
        // `inside_transaction`): when the model fails, its pre-hook's effects are rolled back too.
        // Without hooks the build alone is atomic (every adapter build is), and a transaction
        // around it would only cost round trips.
        if !hasHooks(node) { return try build(node, adapter: adapter) }
        return try adapter.transaction { try build(node, adapter: adapter) }
    }

    static func hasHooks(_ node: ExecutableNode) -> Bool {
        (node.preHooks + node.postHooks).contains { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    }

    private static func build(_ node: ExecutableNode, adapter: any Adapter) throws -> ExecutionOutcome {
        var executed: [String] = []
        for hook in node.preHooks where !hook.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            executed.append(hook)
            try adapter.execute(hook)
        }
        var outcome: ExecutionOutcome
        switch node.materialized {
        case "ephemeral":
            outcome = ExecutionOutcome(status: .success, message: "OK", response: nil, executedSQL: [], failures: nil)
        case "view", "table", "incremental":
            guard let relation = node.relation else {
                throw RunError(.internal, "\(node.uniqueId) has no relation to build")
            }
            try adapter.createSchema(relation.schema)
            let built: Materialized
            if let own = try adapter.materialize(modelBuild(node, relation: relation)) {
                built = own
            } else {
                switch node.materialized {
                case "view": built = try adapter.replaceView(relation, withSelect: node.compiledSQL)
                case "table": built = try adapter.replaceTable(relation, withSelect: node.compiledSQL)
                default: built = try incremental(node, relation: relation, adapter: adapter)
                }
            }
            outcome = ExecutionOutcome(
                status: .success, message: built.response.message, response: built.response,
                executedSQL: built.executedSQL, failures: nil)
        default:
            throw RunError(.unsupported, "materialization '\(node.materialized)' is not supported for \(node.uniqueId)",
                           hint: "Use view, table, incremental or ephemeral.")
        }
        outcome.executedSQL = executed + outcome.executedSQL
        for hook in node.postHooks where !hook.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            outcome.executedSQL.append(hook)
            try adapter.execute(hook)
        }
        return outcome
    }

    static func modelBuild(_ node: ExecutableNode, relation: Relation) -> ModelBuild {
        ModelBuild(uniqueId: node.uniqueId, name: node.name, relation: relation, materialized: node.materialized,
                   compiledSQL: node.compiledSQL, fullRefresh: node.fullRefresh, uniqueKey: node.incremental.uniqueKey,
                   incrementalStrategy: node.incremental.strategy, onSchemaChange: node.incremental.onSchemaChange,
                   config: node.config, description: node.description, columnDescriptions: node.columnDescriptions)
    }

    /// dbt's incremental materialization: a full build when the table is missing, is a view, or
    /// `--full-refresh` applies; otherwise new rows go to a temporary table and are merged in one
    /// transaction (docs.getdbt.com/docs/build/incremental-strategy).
    static func incremental(_ node: ExecutableNode, relation: Relation, adapter: any Adapter) throws -> Materialized {
        let existing = try adapter.getRelation(database: relation.database, schema: relation.schema, identifier: relation.identifier)
        if existing == nil || existing?.kind == .view || node.fullRefresh {
            if existing?.kind == .view { try adapter.dropRelation(relation) }
            return try adapter.replaceTable(relation, withSelect: node.compiledSQL)
        }
        let temporary = relation.withIdentifier(relation.identifier + "__dbt_tmp")
        var executed: [String] = []
        try adapter.dropRelation(temporary)
        // Through the adapter's own table build: the generic `create table … as (select)` is not
        // SQL that SQLite accepts, and this keeps the declared column types of the query.
        let staged = try adapter.replaceTable(temporary, withSelect: node.compiledSQL)
        executed += staged.executedSQL
        defer { try? adapter.dropRelation(temporary) }

        let newColumns = try adapter.columns(of: temporary)
        var targetColumns = try adapter.columns(of: relation)
        let targetNames = Set(targetColumns.map { $0.name.lowercased() })
        let newNames = Set(newColumns.map { $0.name.lowercased() })
        let added = newColumns.filter { !targetNames.contains($0.name.lowercased()) }
        let removed = targetColumns.filter { !newNames.contains($0.name.lowercased()) }
        let response: AdapterResponse = try adapter.transaction {
            if !added.isEmpty || !removed.isEmpty {
                switch node.incremental.onSchemaChange {
                case "fail":
                    throw RunError(
                        .schemaChange,
                        "The source and target schemas of \(node.uniqueId) are out of sync: added "
                            + "\(added.map(\.name)), removed \(removed.map(\.name))",
                        hint: "Run with --full-refresh, or set on_schema_change to append_new_columns or sync_all_columns.")
                case "append_new_columns", "sync_all_columns":
                    for column in added {
                        let type = column.dataType.isEmpty ? "" : " \(column.dataType)"
                        let alter = "alter table \(adapter.render(relation)) add column \(adapter.quote(column.name))\(type)"
                        executed.append(alter)
                        try adapter.execute(alter)
                        targetColumns.append(column)
                    }
                    if node.incremental.onSchemaChange == "sync_all_columns" {
                        for column in removed {
                            let alter = "alter table \(adapter.render(relation)) drop column \(adapter.quote(column.name))"
                            executed.append(alter)
                            try adapter.execute(alter)
                        }
                        targetColumns.removeAll { column in removed.contains { $0.name.lowercased() == column.name.lowercased() } }
                    }
                default:
                    break  // ignore: insert the columns both sides have
                }
            }
            let shared = targetColumns.filter { newNames.contains($0.name.lowercased()) }.map { adapter.quote($0.name) }
            let columnList = shared.joined(separator: ", ")
            let keys = node.incremental.uniqueKey
            let strategy = node.incremental.strategy ?? (keys.isEmpty ? "append" : "merge")
            switch strategy {
            case "append":
                break
            case "merge", "delete+insert":
                guard !keys.isEmpty else {
                    if strategy == "merge" { break }  // merge without a key is an append, as dbt's
                    throw RunError(.config, "incremental_strategy delete+insert needs a unique_key on \(node.uniqueId)")
                }
                // Rows whose key arrives again are replaced: on a unique key this is what MERGE's
                // update-or-insert gives, and SQLite has no MERGE.
                let keyList = keys.map { adapter.quote($0) }.joined(separator: ", ")
                let delete = "delete from \(adapter.render(relation))\nwhere (\(keyList)) in (\n  select \(keyList) from \(adapter.render(temporary))\n)"
                executed.append(delete)
                try adapter.execute(delete)
            default:
                throw RunError(.config, "incremental_strategy '\(strategy)' is not supported on \(node.uniqueId)",
                               hint: "Use append, merge or delete+insert.")
            }
            let insert = "insert into \(adapter.render(relation)) (\(columnList))\nselect \(columnList) from \(adapter.render(temporary))"
            executed.append(insert)
            return try adapter.execute(insert)
        }
        return Materialized(response: response, executedSQL: executed)
    }
}

/// dbt's data test materialization: count the failing rows and compare them with `warn_if` and
/// `error_if` (`include/global_project/macros/materializations/tests/test.sql`,
/// docs.getdbt.com/reference/resource-configs/severity).
enum TestExecutor {
    static func wrappedSQL(_ node: ExecutableNode) -> String {
        let limit = node.test.limit.map { "\n  limit \($0)" } ?? ""
        return """
            select
              \(node.test.failCalc) as failures,
              case when \(node.test.failCalc) \(node.test.warnIf) then 1 else 0 end as should_warn,
              case when \(node.test.failCalc) \(node.test.errorIf) then 1 else 0 end as should_error
            from (
            \(node.compiledSQL)\(limit)
            ) dbt_internal_test
            """
    }

    static func run(_ node: ExecutableNode, adapter: any Adapter) throws -> ExecutionOutcome {
        // A test only reads: a transaction is needed only to store its failures together with
        // the count (dbt's test materialization), not around a lone query.
        guard node.test.storeFailures else { return try build(node, adapter: adapter) }
        return try adapter.transaction { try build(node, adapter: adapter) }
    }

    private static func build(_ node: ExecutableNode, adapter: any Adapter) throws -> ExecutionOutcome {
        var executed: [String] = []
        if node.test.storeFailures, let audit = node.test.auditRelation {
            try adapter.createSchema(audit.schema)
            let stored = try adapter.replaceTable(audit, withSelect: node.compiledSQL)
            executed += stored.executedSQL
        }
        let sql = wrappedSQL(node)
        executed.append(sql)
        let result = try adapter.query(sql, limit: nil)
        guard let row = result.rows.first, row.count >= 3 else {
            throw RunError(.internal, "the test query of \(node.uniqueId) returned no row")
        }
        let failures = Int(row[0].integerValue ?? 0)
        let shouldWarn = row[1].integerValue ?? 0 != 0
        let shouldError = row[2].integerValue ?? 0 != 0
        let status: NodeStatus
        var message = "Got \(failures) result\(failures == 1 ? "" : "s"), "
        if node.test.severity.lowercased() == "error" && shouldError {
            status = .fail
            message += "configured to fail if \(node.test.errorIf)"
        } else if shouldWarn {
            status = .warn
            message += "configured to warn if \(node.test.warnIf)"
        } else {
            status = .pass
            message = "PASS"
        }
        return ExecutionOutcome(
            status: status, message: message, response: AdapterResponse(message: "OK", code: "SELECT", rowsAffected: 1),
            executedSQL: executed, failures: failures)
    }
}

extension Cell {
    /// The value as an integer when it is one (or a whole real, or a numeric text).
    public var integerValue: Int64? {
        switch self {
        case .integer(let value): value
        case .real(let value): value.isFinite ? Int64(exactly: value.rounded()) : nil
        case .bool(let value): value ? 1 : 0
        case .text(let value): Int64(value)
        default: nil
        }
    }
}
