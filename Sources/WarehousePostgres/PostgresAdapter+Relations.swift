import Foundation
import Warehouse

// Introspection and DDL through pg_catalog (dbt-postgres `postgres__list_relations_without_caching`,
// `postgres__get_columns_in_relation`, `postgres__create_schema`, `postgres__rename_relation`).
extension PostgresAdapter {
    /// Relation kinds by `pg_class.relkind`: r/p table, v view, m materialized view, f foreign table.
    static func kind(ofRelkind relkind: String?) -> Relation.Kind? {
        switch relkind {
        case "r", "p", "f": return .table
        case "v": return .view
        case "m": return .materializedView
        default: return nil
        }
    }

    static let relationsQuery = """
        select c.relname, c.relkind from pg_catalog.pg_class c
        join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and c.relkind in ('r', 'p', 'v', 'm', 'f')
        """

    /// The kinds of the named relations of `schema` (one round trip), by name.
    func kinds(schema: String, identifiers: [String]) throws -> [String: Relation.Kind] {
        let list = "{" + identifiers.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}"
        let result = try withConnection {
            try $0.execute(Self.relationsQuery + " and c.relname = any($2::text[])", parameters: [schema, list])
        }
        var kinds: [String: Relation.Kind] = [:]
        for row in result.rows {
            if let name = row[0], let kind = Self.kind(ofRelkind: row[1]) { kinds[name] = kind }
        }
        return kinds
    }

    /// The relation with its kind, or nil. The database is the target's (PostgreSQL cannot see
    /// another database's catalog).
    public func getRelation(database: String?, schema: String, identifier: String) throws -> Relation? {
        guard let kind = try kinds(schema: schema, identifiers: [identifier])[identifier] else { return nil }
        return Relation(database: database ?? profile.dbname, schema: schema, identifier: identifier, kind: kind)
    }

    /// The kinds of every relation of `schema`, by name, from the run's cache (one round trip the
    /// first time a schema is seen; see ``RelationCache``).
    func cachedKinds(schema: String) throws -> [String: Relation.Kind] {
        try relationCache.relations(in: schema) {
            let result = try withConnection { try $0.execute(Self.relationsQuery, parameters: [schema]) }
            var kinds: [String: Relation.Kind] = [:]
            for row in result.rows {
                if let name = row[0], let kind = Self.kind(ofRelkind: row[1]) { kinds[name] = kind }
            }
            return kinds
        }
    }

    /// Every table, view and materialized view of `schema`, sorted by name.
    public func listRelations(schema: String) throws -> [Relation] {
        let result = try withConnection { try $0.execute(Self.relationsQuery + " order by c.relname", parameters: [schema]) }
        return result.rows.compactMap { row in
            guard let name = row[0], let kind = Self.kind(ofRelkind: row[1]) else { return nil }
            return Relation(database: profile.dbname, schema: schema, identifier: name, kind: kind)
        }
    }

    /// The columns in order, with `format_type`'s names (`integer`, `character varying(10)`,
    /// `numeric(12,2)`, `timestamp without time zone`); with `dialect: bigquery`, BigQuery's
    /// names (`INT64`, `NUMERIC`, `TIMESTAMP` …). Empty when the relation does not exist.
    public func columns(of relation: Relation) throws -> [Column] {
        let sql = """
            select a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod)
            from pg_catalog.pg_attribute a
            join pg_catalog.pg_class c on c.oid = a.attrelid
            join pg_catalog.pg_namespace n on n.oid = c.relnamespace
            where n.nspname = $1 and c.relname = $2 and a.attnum > 0 and not a.attisdropped
            order by a.attnum
            """
        let result = try withConnection { try $0.execute(sql, parameters: [relation.schema, relation.identifier]) }
        let bigQuery = translatesBigQuery
        return result.rows.map { row in
            let type = row[1] ?? ""
            // In the BigQuery dialect, BigQuery's names (`INT64`, `STRING` …) where there is one.
            let reported = bigQuery ? PostgresTypes.bigQueryType(ofPostgres: type).map(PostgresTypes.bigQueryName) ?? type : type
            return Column(name: row[0] ?? "", dataType: reported)
        }
    }

    /// `create schema if not exists "schema"`, once per schema and adapter. Two builders racing
    /// to create the same schema is not an error. Inside a transaction the schema counts as
    /// created only once the transaction commits.
    public func createSchema(_ schema: String) throws {
        if let pinned = pool.pinned() {
            guard !isKnownSchema(schema), !pinned.schemasCreatedInTransaction.contains(schema) else { return }
            try executeNative("create schema if not exists \(nativeQuote(schema))")
            pinned.schemasCreatedInTransaction.append(schema)
            return
        }
        guard !isKnownSchema(schema) else { return }
        schemaCreationLock.lock()
        defer { schemaCreationLock.unlock() }
        guard !isKnownSchema(schema) else { return }
        let sql = "create schema if not exists \(nativeQuote(schema))"
        do {
            try executeNative(sql)
        } catch let error as WarehouseError where error.kind == .query {
            // `if not exists` is not atomic: another process creating it wins with a unique violation.
            let exists = try withConnection {
                try $0.execute("select 1 from pg_catalog.pg_namespace where nspname = $1", parameters: [schema])
            }
            if exists.rows.isEmpty { throw error }
        }
        _ = rememberSchema(schema)
    }

    /// `drop <kind> if exists <relation> cascade` (dbt-postgres `drop_relation`: views that depend
    /// on it are dropped too). Nothing when it does not exist.
    public func dropRelation(_ relation: Relation) throws {
        relationCache.invalidate(schema: relation.schema)
        guard let kind = try kinds(schema: relation.schema, identifiers: [relation.identifier])[relation.identifier] else { return }
        try executeNative(Self.dropSQL(nativeRender(relation), kind: kind))
    }

    /// `alter <kind> <from> rename to "<to.identifier>"` (same schema).
    /// - Throws: ``WarehouseError`` (`notFound`) when `from` does not exist.
    public func renameRelation(_ from: Relation, to: Relation) throws {
        relationCache.invalidate(schema: from.schema)
        guard let kind = try kinds(schema: from.schema, identifiers: [from.identifier])[from.identifier] else {
            throw WarehouseError(.notFound, "cannot rename \(from): it does not exist")
        }
        try executeNative(Self.renameSQL(nativeRender(from), to: nativeQuote(to.identifier), kind: kind))
    }

    static func dropSQL(_ rendered: String, kind: Relation.Kind) -> String {
        "drop \(keyword(kind)) if exists \(rendered) cascade"
    }

    static func renameSQL(_ rendered: String, to quotedIdentifier: String, kind: Relation.Kind, ifExists: Bool = false) -> String {
        "alter \(keyword(kind)) \(ifExists ? "if exists " : "")\(rendered) rename to \(quotedIdentifier)"
    }

    static func keyword(_ kind: Relation.Kind) -> String {
        switch kind {
        case .view: return "view"
        case .materializedView: return "materialized view"
        case .table, .ephemeral: return "table"
        }
    }
}
