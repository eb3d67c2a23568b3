import Foundation
import Warehouse

/// Statements of one build sent in one round trip, which of them answers for the build
/// (`SELECT 3`, `MERGE 2`), and what they do to the schema's relations (for the cache).
struct BuildPlan {
    var statements: [String] = []
    /// The statement whose response is the build's.
    var responseIndex = 0
    /// Each name's kind once the statements ran (nil: dropped).
    var changes: [(String, Relation.Kind?)] = []

    func response(_ results: [PostgresResult]) -> AdapterResponse {
        let index = min(max(0, responseIndex), results.count - 1)
        return results.isEmpty ? AdapterResponse(message: "OK") : results[index].response
    }
}

// Models built as dbt-postgres builds them, with the round trips cut: relations are looked up in
// the run's cache (as dbt does) and a build's statements go to the server together, in the
// transaction the runner holds for the node (its `begin` rides along with them).
extension PostgresAdapter {
    /// Builds a `table`, `view` or `incremental` model as dbt-postgres 1.x does; other
    /// materializations (ephemeral) go to the shared runner (nil).
    ///
    /// - `table` / `view`: `create … "<name>__dbt_tmp" as (…)`, rename the old relation to
    ///   `__dbt_backup`, rename the new one in, drop the backup `cascade` — one round trip.
    /// - `incremental`: see ``buildIncremental(_:)`` (`merge` on PostgreSQL 15's `MERGE`,
    ///   `delete+insert`, `append`).
    ///
    /// Relations are looked up in the run's cache (``RelationCache``), listed once per schema.
    /// Joins the transaction open on this thread (the runner's, with the model's hooks); the
    /// previous relation is intact whenever this throws.
    /// - Throws: ``WarehouseError`` with PostgreSQL's message, or `.unsupported` for a strategy
    ///   dbt-postgres does not have; with `dialect: bigquery`, the translator's error.
    public func materialize(_ build: ModelBuild) throws -> Materialized? {
        var build = build
        if translatesBigQuery, ["table", "view", "incremental"].contains(build.materialized) {
            // BigQuery SQL (`dialect: bigquery`): the query translated, the rest as dbt-postgres.
            build.compiledSQL = try modelQuery(build.compiledSQL)
        }
        switch build.materialized {
        case "table", "view":
            // One multi-statement round trip: atomic on its own (PostgreSQL runs it as one
            // implicit transaction), or part of the runner's transaction.
            return try buildRelation(build)
        case "incremental":
            // Two round trips on one connection (the temporary table lives in its session);
            // the one that changes the target is a single multi-statement string, atomic
            // without a transaction block around it.
            return try onOneConnection { try buildIncremental(build) }
        default:
            return nil
        }
    }

    private func buildRelation(_ build: ModelBuild) throws -> Materialized {
        let target = build.relation
        let isView = build.materialized == "view"
        let intermediate = intermediateRelation(for: target)
        let create = isView ? createViewAsSQL(intermediate, build.compiledSQL)
            : createTableAsSQL(intermediate, build.compiledSQL, unlogged: build.config["unlogged"]?.bool ?? false)
        let plan = swapPlan(target, create: create, isView: isView, kinds: try cachedKinds(schema: target.schema))
        return try run(plan, schema: target.schema)
    }

    /// Runs `body` with every statement it sends on one connection: the transaction's when one
    /// is open on this thread, else a pooled one pinned to this thread meanwhile (in autocommit
    /// mode; `body` must not open a transaction).
    func onOneConnection<T>(_ body: () throws -> T) throws -> T {
        if pool.pinned() != nil { return try body() }
        let connection = try pool.checkout().connection
        pool.pin(connection)
        defer {
            pool.unpin()
            if connection.isInTransaction { _ = try? connection.execute("rollback") }
            pool.discardOrCheckin(connection)
        }
        return try body()
    }

    /// Sends a plan's statements in one round trip and records its changes in the cache (or
    /// forgets the schema when it fails: what exists is no longer known).
    func run(_ plan: BuildPlan, schema: String) throws -> Materialized {
        let results: [PostgresResult]
        do {
            results = try withConnection { try $0.executeAll(plan.statements.joined(separator: ";\n")) }
        } catch {
            relationCache.invalidate(schema: schema)
            throw error
        }
        relationCache.record(schema: schema, plan.changes)
        return Materialized(response: plan.response(results), executedSQL: plan.statements)
    }

    /// dbt-postgres's `create [unlogged] table … as (…)` (`postgres__create_table_as`).
    func createTableAsSQL(_ relation: Relation, _ sql: String, unlogged: Bool) -> String {
        guard unlogged else { return createTableAsSQL(relation, sql) }
        return "\n  create unlogged table \(nativeRender(relation))\n  \n  \n    as\n  \n  (\n    \(Self.trimmedStatement(sql))\n  )"
    }
}
