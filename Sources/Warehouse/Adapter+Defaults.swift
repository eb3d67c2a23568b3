// Default materialization DDL for SQL warehouses with transactional DDL (dbt's
// `create_table_as`/`create_view_as` in `include/global_project/macros/relations/`).
// Adapters whose DDL differs override these requirements.

extension Adapter {
    /// `create table <relation> as <sql>`.
    public func createTableAsSQL(_ relation: Relation, _ sql: String) -> String {
        "create table \(render(relation))\nas (\n\(sql)\n)"
    }

    /// `create view <relation> as <sql>`.
    public func createViewAsSQL(_ relation: Relation, _ sql: String) -> String {
        "create view \(render(relation))\nas (\n\(sql)\n)"
    }

    public func replaceTable(_ target: Relation, withSelect sql: String) throws -> Materialized {
        let temporary = target.withIdentifier(target.identifier + "__opsflow_tmp")
        var executed: [String] = []
        try dropRelation(temporary)
        let create = createTableAsSQL(temporary, sql)
        executed.append(create)
        let response = try execute(create)
        do {
            try transaction {
                if try getRelation(database: target.database, schema: target.schema, identifier: target.identifier) != nil {
                    try dropRelation(target)
                }
                try renameRelation(temporary, to: target)
            }
        } catch {
            try? dropRelation(temporary)
            throw error
        }
        executed.append("-- swapped \(render(temporary)) in as \(render(target))")
        return Materialized(response: response, executedSQL: executed)
    }

    public func replaceView(_ target: Relation, withSelect sql: String) throws -> Materialized {
        let create = createViewAsSQL(target, sql)
        let response = try transaction { () throws -> AdapterResponse in
            try dropRelation(target)
            return try execute(create)
        }
        return Materialized(response: response, executedSQL: [create])
    }
}
