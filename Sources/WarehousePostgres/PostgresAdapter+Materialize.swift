import Foundation
import SQL
import Warehouse

// The table and view materializations as dbt-postgres runs them
// (dbt-adapters `include/global_project/macros/materializations/models/table.sql` and `view.sql`,
// dbt-postgres `postgres__create_table_as`), and loads through COPY.
extension PostgresAdapter {
    /// The name a relation is built under before the swap: `<identifier>__dbt_tmp`.
    public func intermediateRelation(for target: Relation) -> Relation {
        target.withIdentifier(target.identifier + "__dbt_tmp")
    }

    /// The name the previous relation is moved to during the swap: `<identifier>__dbt_backup`.
    public func backupRelation(for target: Relation) -> Relation {
        target.withIdentifier(target.identifier + "__dbt_backup")
    }

    /// dbt-postgres's `create table … as (…)`.
    public func createTableAsSQL(_ relation: Relation, _ sql: String) -> String {
        "\n  create  table \(nativeRender(relation))\n  \n  \n    as\n  \n  (\n    \(Self.trimmedStatement(sql))\n  )"
    }

    /// dbt-postgres's `create view … as (…)`.
    public func createViewAsSQL(_ relation: Relation, _ sql: String) -> String {
        "\n  create view \(nativeRender(relation))\n    \n    \n  as (\n    \(Self.trimmedStatement(sql))\n  )"
    }

    /// Builds the table `target` from a query as dbt-postgres does, in one transaction (a
    /// savepoint when one is open on this thread): drop leftovers named `__dbt_tmp`/`__dbt_backup`,
    /// `create table <target>__dbt_tmp as (…)`, rename the old relation to `__dbt_backup`, rename
    /// the new one in, drop the backup `cascade`. Readers see the old table until the commit.
    /// Views that depend on the old relation are dropped with it (PostgreSQL binds views to
    /// tables, not names; dbt-postgres behaves the same and the run rebuilds them downstream).
    /// When the query fails the old relation stays as it was. With `dialect: bigquery` the query
    /// is BigQuery SQL, translated first.
    /// - Returns: PostgreSQL's answer to the `create table` (`SELECT <rows>`) and the statements.
    /// - Throws: ``WarehouseError`` with PostgreSQL's message, or the translator's.
    public func replaceTable(_ target: Relation, withSelect sql: String) throws -> Materialized {
        try swap(target, create: createTableAsSQL(intermediateRelation(for: target), modelQuery(sql)))
    }

    /// Replaces the view `target` as dbt-postgres does: `create view <target>__dbt_tmp`, then the
    /// same rename swap as ``replaceTable(_:withSelect:)``, in one transaction. With
    /// `dialect: bigquery` the query is BigQuery SQL, translated first.
    /// - Returns: `CREATE VIEW` and the statements run.
    public func replaceView(_ target: Relation, withSelect sql: String) throws -> Materialized {
        try swap(target, create: createViewAsSQL(intermediateRelation(for: target), modelQuery(sql)))
    }

    private func swap(_ target: Relation, create: String) throws -> Materialized {
        defer { relationCache.invalidate(schema: target.schema) }
        let intermediate = intermediateRelation(for: target)
        let backup = backupRelation(for: target)
        return try transaction {
            let kinds = try kinds(schema: target.schema, identifiers: [target.identifier, intermediate.identifier, backup.identifier])
            let plan = swapPlan(target, create: create, isView: create.contains("create view"), kinds: kinds)
            let results = try withConnection { try $0.executeAll(plan.statements.joined(separator: ";\n")) }
            return Materialized(response: plan.response(results), executedSQL: plan.statements)
        }
    }

    /// The statements of a swap, sent in one round trip: drop leftovers named `__dbt_tmp` and
    /// `__dbt_backup` (only those `kinds` says exist), `create` the new relation under the
    /// intermediate name, rename the old one (if any) to the backup name, rename the new one in,
    /// drop the backup `cascade`.
    func swapPlan(_ target: Relation, create: String, isView: Bool, kinds: [String: Relation.Kind]) -> BuildPlan {
        let intermediate = intermediateRelation(for: target)
        let backup = backupRelation(for: target)
        var plan = BuildPlan()
        for stale in [intermediate, backup] {
            if let kind = kinds[stale.identifier] { plan.statements.append(Self.dropSQL(nativeRender(stale), kind: kind)) }
        }
        plan.responseIndex = plan.statements.count
        plan.statements.append(create)
        if let old = kinds[target.identifier] {
            // `if exists`: a view the cache lists may have gone since, dropped `cascade` with a
            // table it read (PostgreSQL binds views to tables); then there is nothing to move.
            plan.statements.append(Self.renameSQL(nativeRender(target), to: nativeQuote(backup.identifier), kind: old, ifExists: true))
        }
        plan.statements.append(Self.renameSQL(nativeRender(intermediate), to: nativeQuote(target.identifier), kind: isView ? .view : .table))
        if let old = kinds[target.identifier] {
            plan.statements.append(Self.dropSQL(nativeRender(backup), kind: old))
        }
        plan.changes = [(target.identifier, isView ? .view : .table), (intermediate.identifier, nil), (backup.identifier, nil)]
        return plan
    }

    /// `create table <relation> ("name" type, …)` with ``PostgresTypes/columnType(for:)``, or
    /// with `dialect: bigquery` ``PostgresTypes/columnType(forBigQuery:)`` (seeds and loads then
    /// give BigQuery types: `INT64`, `STRING`, `TIMESTAMP` …).
    public func createTable(_ relation: Relation, columns: [Column]) throws {
        guard !columns.isEmpty else {
            throw WarehouseError(.query, "cannot create \(relation) without columns")
        }
        let bigQuery = translatesBigQuery
        let definitions = columns.map { column in
            let type = bigQuery ? PostgresTypes.columnType(forBigQuery: column.dataType) : PostgresTypes.columnType(for: column.dataType)
            return "\(nativeQuote(column.name)) \(type)"
        }
        relationCache.invalidate(schema: relation.schema)
        try executeNative("create table \(nativeRender(relation)) (\(definitions.joined(separator: ", ")))")
    }

    /// Loads rows with `COPY <relation> (<columns>) FROM STDIN` (text format): one round trip of
    /// data, not one statement per row (dbt-postgres seeds use batched inserts; COPY is faster
    /// and binds nothing into SQL). Joins the transaction open on this thread.
    /// - Returns: the number of rows copied.
    /// - Throws: ``WarehouseError`` with PostgreSQL's message, the line and column of a bad
    ///   value but never the value; nothing is loaded then.
    public func insert(into relation: Relation, columns: [String], rows: [[Cell]]) throws -> Int {
        guard !rows.isEmpty else { return 0 }
        var data: [UInt8] = []
        data.reserveCapacity(rows.count * columns.count * 8)
        for (index, row) in rows.enumerated() {
            guard row.count == columns.count else {
                throw WarehouseError(.query, "row \(index + 1) has \(row.count) values for \(columns.count) columns of \(relation)")
            }
            for (position, cell) in row.enumerated() {
                if position > 0 { data.append(9) }
                PostgresTypes.appendCopyText(cell, to: &data)
            }
            data.append(10)
        }
        let sql = "copy \(nativeRender(relation)) (\(columns.map(nativeQuote).joined(separator: ", "))) from stdin"
        return try withConnection { try $0.copyIn(sql, data: data) }
    }

    /// `sql` without surrounding white space and trailing semicolons.
    static func trimmedStatement(_ sql: String) -> String {
        var text = Substring(sql)
        while let last = text.last, last == ";" || last.isWhitespace { text = text.dropLast() }
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        return String(text)
    }
}
