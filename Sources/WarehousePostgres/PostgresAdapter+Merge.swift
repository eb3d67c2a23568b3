import Foundation
import Warehouse

// Incremental `merge` on PostgreSQL 15's `MERGE` (postgresql.org/docs/15/sql-merge.html), with the
// aliases dbt's `get_merge_sql` uses (`DBT_INTERNAL_SOURCE`, `DBT_INTERNAL_DEST`). The shared
// runner does delete+insert today; this is the statement a PostgreSQL-aware runner would send.
extension PostgresAdapter {
    /// `merge into <target> … using <source> … on <keys> when matched then update … when not
    /// matched then insert …`: rows of `source` whose `uniqueKey` matches a row of `target`
    /// replace its `columns`; the others are inserted. `source` must have no duplicate keys
    /// (PostgreSQL raises "MERGE command cannot affect row a second time").
    /// - Precondition: `uniqueKey` and `columns` are non-empty (checked by ``merge(into:from:uniqueKey:columns:)``).
    public func mergeSQL(into target: Relation, from source: Relation, uniqueKey: [String], columns: [String]) -> String {
        let on = uniqueKey.map { "DBT_INTERNAL_SOURCE.\(quote($0)) = DBT_INTERNAL_DEST.\(quote($0))" }.joined(separator: "\n    and ")
        // UPDATE SET names target columns unqualified (PostgreSQL rejects the alias there).
        let updates = columns.map { "\(quote($0)) = DBT_INTERNAL_SOURCE.\(quote($0))" }.joined(separator: ", ")
        let names = columns.map(quote).joined(separator: ", ")
        let values = columns.map { "DBT_INTERNAL_SOURCE.\(quote($0))" }.joined(separator: ", ")
        return """
            merge into \(render(target)) as DBT_INTERNAL_DEST
            using \(render(source)) as DBT_INTERNAL_SOURCE
            on (\(on))
            when matched then update set \(updates)
            when not matched then insert (\(names))
            values (\(values))
            """
    }

    /// Runs ``mergeSQL(into:from:uniqueKey:columns:)`` (joining the transaction open on this thread).
    /// - Returns: `MERGE <rows>`: rows updated plus rows inserted.
    /// - Throws: ``WarehouseError`` when no key or column is given, or with PostgreSQL's message.
    @discardableResult
    public func merge(into target: Relation, from source: Relation, uniqueKey: [String], columns: [String]) throws -> AdapterResponse {
        guard !uniqueKey.isEmpty, !columns.isEmpty else {
            throw WarehouseError(.query, "a merge into \(target) needs a unique_key and columns")
        }
        return try execute(mergeSQL(into: target, from: source, uniqueKey: uniqueKey, columns: columns))
    }
}
