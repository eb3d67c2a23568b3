import Foundation
import Testing
import Warehouse
@testable import WarehousePostgres

/// Incremental models through ``PostgresAdapter/materialize(_:)``, checked against dbt-core 1.12
/// with dbt-postgres 1.11 (dbt-adapters 1.24) on PostgreSQL 15: the same project (each model's
/// SQL below, run with `--vars '{batch: 1}'` then `'{batch: 2}'`) was built by `dbt run`; the
/// rows each table held afterwards and the statement dbt wrote to `target/run` are recorded here
/// (white space collapsed, comments dropped, the temporary table's time stamp replaced by `<TS>`).
@Suite struct PostgresIncrementalTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var strategy: String?
        var uniqueKey: ConfigSetting?
        var onSchemaChange = "ignore"
        /// The model's SQL for a batch (dbt's `var('batch')`).
        var sql: @Sendable (Int) -> String
        /// What dbt-postgres wrote to target/run on the second run ("<T>" stands for the target).
        var dbtMain: String
        /// The rows (as text, `|`-separated, ordered) dbt left in the table.
        var dbtRows: [String]
        var description: String { name }
    }

    static func series(_ columns: String) -> @Sendable (Int) -> String {
        { batch in "select id, \(columns.replacingOccurrences(of: "B", with: String(batch)))\nfrom generate_series(\(batch), \(batch) + 2) as id" }
    }

    static let cases: [Case] = [
        Case(name: "inc_merge", strategy: "merge", uniqueKey: .string("id"), sql: series("'v' || B as label, B as batch"),
             dbtMain: #"merge into <T> as DBT_INTERNAL_DEST using "inc_merge__dbt_tmp<TS>" as DBT_INTERNAL_SOURCE on ((DBT_INTERNAL_SOURCE.id = DBT_INTERNAL_DEST.id)) when matched then update set "id" = DBT_INTERNAL_SOURCE."id","label" = DBT_INTERNAL_SOURCE."label","batch" = DBT_INTERNAL_SOURCE."batch" when not matched then insert ("id", "label", "batch") values ("id", "label", "batch")"#,
             dbtRows: ["1|v1|1", "2|v2|2", "3|v2|2", "4|v2|2"]),
        Case(name: "inc_merge2", strategy: "merge", uniqueKey: .list([.string("id"), .string("part")]),
             sql: series("id % 2 as part, 'v' || B as label"),
             dbtMain: #"merge into <T> as DBT_INTERNAL_DEST using "inc_merge2__dbt_tmp<TS>" as DBT_INTERNAL_SOURCE on ( DBT_INTERNAL_SOURCE.id = DBT_INTERNAL_DEST.id ) and ( DBT_INTERNAL_SOURCE.part = DBT_INTERNAL_DEST.part ) when matched then update set "id" = DBT_INTERNAL_SOURCE."id","part" = DBT_INTERNAL_SOURCE."part","label" = DBT_INTERNAL_SOURCE."label" when not matched then insert ("id", "part", "label") values ("id", "part", "label")"#,
             dbtRows: ["1|1|v1", "2|0|v2", "3|1|v2", "4|0|v2"]),
        Case(name: "inc_delins", strategy: "delete+insert", uniqueKey: .string("id"), sql: series("'v' || B as label"),
             dbtMain: #"delete from <T> as DBT_INTERNAL_DEST where (id) in ( select distinct id from "inc_delins__dbt_tmp<TS>" as DBT_INTERNAL_SOURCE ); insert into <T> ("id", "label") ( select "id", "label" from "inc_delins__dbt_tmp<TS>" )"#,
             dbtRows: ["1|v1", "2|v2", "3|v2", "4|v2"]),
        // No strategy and a key: dbt-postgres's default is delete+insert.
        Case(name: "inc_default", strategy: nil, uniqueKey: .string("id"), sql: series("'v' || B as label"),
             dbtMain: #"delete from <T> as DBT_INTERNAL_DEST where (id) in ( select distinct id from "inc_default__dbt_tmp<TS>" as DBT_INTERNAL_SOURCE ); insert into <T> ("id", "label") ( select "id", "label" from "inc_default__dbt_tmp<TS>" )"#,
             dbtRows: ["1|v1", "2|v2", "3|v2", "4|v2"]),
        Case(name: "inc_append", strategy: nil, uniqueKey: nil, sql: series("'v' || B as label"),
             dbtMain: #"insert into <T> ("id", "label") ( select "id", "label" from "inc_append__dbt_tmp<TS>" )"#,
             dbtRows: ["1|v1", "2|v1", "2|v2", "3|v1", "3|v2", "4|v2"]),
        // merge without a key: `on (FALSE)`, every row inserted.
        Case(name: "inc_nokey_merge", strategy: "merge", uniqueKey: nil, sql: series("'v' || B as label"),
             dbtMain: #"merge into <T> as DBT_INTERNAL_DEST using "inc_nokey_merge__dbt_tmp<TS>" as DBT_INTERNAL_SOURCE on (FALSE) when not matched then insert ("id", "label") values ("id", "label")"#,
             dbtRows: ["1|v1", "2|v1", "2|v2", "3|v1", "3|v2", "4|v2"]),
        // A column added by the second batch is added to the table; old rows get NULL.
        Case(name: "osc_append", strategy: "merge", uniqueKey: .string("id"), onSchemaChange: "append_new_columns",
             sql: { batch in series("'v' || B as label" + (batch > 1 ? ", id * 10 as extra" : ""))(batch) },
             dbtMain: #"merge into <T> as DBT_INTERNAL_DEST using "osc_append__dbt_tmp<TS>" as DBT_INTERNAL_SOURCE on ((DBT_INTERNAL_SOURCE.id = DBT_INTERNAL_DEST.id)) when matched then update set "id" = DBT_INTERNAL_SOURCE."id","label" = DBT_INTERNAL_SOURCE."label","extra" = DBT_INTERNAL_SOURCE."extra" when not matched then insert ("id", "label", "extra") values ("id", "label", "extra")"#,
             dbtRows: ["1|v1|", "2|v2|20", "3|v2|30", "4|v2|40"]),
        // sync_all_columns also drops the column the new batch no longer has.
        Case(name: "osc_sync", strategy: "delete+insert", uniqueKey: .string("id"), onSchemaChange: "sync_all_columns",
             sql: { batch in series(batch == 1 ? "'v1' as label" : "id * 10 as extra")(batch) },
             dbtMain: #"delete from <T> as DBT_INTERNAL_DEST where (id) in ( select distinct id from "osc_sync__dbt_tmp<TS>" as DBT_INTERNAL_SOURCE ); insert into <T> ("id", "extra") ( select "id", "extra" from "osc_sync__dbt_tmp<TS>" )"#,
             dbtRows: ["1|", "2|20", "3|30", "4|40"]),
    ]

    /// dbt's text with white space collapsed, comments dropped and the time stamp masked.
    static func normalized(_ sql: String) -> String {
        let noComments = sql.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in line.range(of: "--").map { String(line[..<$0.lowerBound]) } ?? String(line) }
            .joined(separator: "\n")
        let masked = noComments.replacingOccurrences(of: #"__dbt_tmp[0-9]{12}"#, with: "__dbt_tmp<TS>", options: .regularExpression)
        return masked.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    func build(_ test: Case, batch: Int, schema: String) -> ModelBuild {
        var config: [String: ConfigSetting] = ["materialized": .string("incremental")]
        if let key = test.uniqueKey { config["unique_key"] = key }
        let keys: [String] = switch test.uniqueKey {
        case .string(let key)?: [key]
        case .list(let keys)?: keys.compactMap(\.string)
        default: []
        }
        return ModelBuild(uniqueId: "model.inc.\(test.name)", name: test.name,
                          relation: Relation(database: "postgres", schema: schema, identifier: test.name),
                          materialized: "incremental", compiledSQL: test.sql(batch), uniqueKey: keys,
                          incrementalStrategy: test.strategy, onSchemaChange: test.onSchemaChange, config: config)
    }

    func rows(_ adapter: PostgresAdapter, _ relation: String) throws -> [String] {
        try adapter.query("select t::text from \(relation) t order by 1", limit: nil).rows.map {
            guard case .text(let row)? = $0.first else { return "" }
            return String(row.dropFirst().dropLast()).replacingOccurrences(of: ",", with: "|")
        }
    }

    @Test(arguments: cases)
    func strategyMatchesDbtPostgres(_ test: Case) throws {
        let adapter = try TestCluster.adapter()
        defer { adapter.close() }
        let schema = "inc_" + UUID().uuidString.prefix(8).lowercased()
        try adapter.createSchema(schema)
        let target = adapter.render(Relation(database: "postgres", schema: schema, identifier: test.name))

        let first = try #require(try adapter.materialize(build(test, batch: 1, schema: schema)))
        // The first run creates the table directly (dbt: `create table <target> as (…)`).
        #expect(Self.normalized(first.executedSQL.last ?? "").hasPrefix("create table \(target) as ("))
        #expect(first.response.message == "SELECT 3")

        let second = try #require(try adapter.materialize(build(test, batch: 2, schema: schema)))
        let main = Self.normalized(second.executedSQL.last ?? "")
        #expect(main == test.dbtMain.replacingOccurrences(of: "<T>", with: target))
        #expect(second.executedSQL.contains { Self.normalized($0).hasPrefix(#"create temporary table "\#(test.name)__dbt_tmp<TS>" as ("#) })
        #expect(try rows(adapter, target) == test.dbtRows)
        // The temporary table is gone, and nothing else was left in the schema.
        #expect(try adapter.listRelations(schema: schema).map(\.identifier) == [test.name])
    }

    @Test func mergeResponseCountsUpdatedAndInsertedRows() throws {
        let adapter = try TestCluster.adapter()
        defer { adapter.close() }
        let schema = "inc_" + UUID().uuidString.prefix(8).lowercased()
        try adapter.createSchema(schema)
        let test = Self.cases[0]
        _ = try adapter.materialize(build(test, batch: 1, schema: schema))
        let second = try #require(try adapter.materialize(build(test, batch: 2, schema: schema)))
        // PostgreSQL 15's command tag `MERGE <rows>`: ids 2 and 3 updated, 4 inserted.
        #expect(second.response.message == "MERGE 3")
        #expect(second.response.rowsAffected == 3)
    }

    @Test func fullRefreshAndAViewInTheWayRebuildTheTable() throws {
        let adapter = try TestCluster.adapter()
        defer { adapter.close() }
        let schema = "inc_" + UUID().uuidString.prefix(8).lowercased()
        try adapter.createSchema(schema)
        let test = Self.cases[0]
        let target = adapter.render(Relation(database: "postgres", schema: schema, identifier: test.name))
        _ = try adapter.materialize(build(test, batch: 1, schema: schema))
        // `--full-refresh` (docs.getdbt.com/reference/resource-configs/full_refresh): the table is
        // rebuilt from the model's query alone, swapped in under `__dbt_tmp`.
        var refresh = build(test, batch: 2, schema: schema)
        refresh.fullRefresh = true
        let rebuilt = try #require(try adapter.materialize(refresh))
        #expect(Self.normalized(rebuilt.executedSQL.first ?? "").hasPrefix(#"create table "postgres"."\#(schema)"."inc_merge__dbt_tmp" as ("#))
        #expect(try rows(adapter, target) == ["2|v2|2", "3|v2|2", "4|v2|2"])
        // A view where the incremental table should be is replaced by the table (dbt's
        // `full_refresh_mode = … or existing_relation.is_view`).
        try adapter.execute("drop table \(target); create view \(target) as select 9 as id, 'old' as label, 0 as batch")
        let other = try TestCluster.adapter()   // a new run: its cache lists the schema afresh
        defer { other.close() }
        _ = try other.materialize(build(test, batch: 1, schema: schema))
        #expect(try other.getRelation(database: nil, schema: schema, identifier: test.name)?.kind == .table)
        #expect(try rows(other, target) == ["1|v1|1", "2|v1|1", "3|v1|1"])
    }

    @Test func onSchemaChangeFailLeavesTheTableAlone() throws {
        let adapter = try TestCluster.adapter()
        defer { adapter.close() }
        let schema = "inc_" + UUID().uuidString.prefix(8).lowercased()
        try adapter.createSchema(schema)
        var test = Self.cases[6]   // osc_append's batches: the second adds a column
        test.onSchemaChange = "fail"
        let target = adapter.render(Relation(database: "postgres", schema: schema, identifier: test.name))
        _ = try adapter.materialize(build(test, batch: 1, schema: schema))
        do {
            _ = try adapter.materialize(build(test, batch: 2, schema: schema))
            Issue.record("a new column with on_schema_change: fail did not fail")
        } catch let error as WarehouseError {
            // dbt's message names the columns (`process_schema_changes`).
            #expect(error.message.contains("The source and target schemas on this incremental model are out of sync!"))
            #expect(error.message.contains(#"Source columns not in target: ["extra"]"#))
        }
        #expect(try rows(adapter, target) == ["1|v1", "2|v1", "3|v1"])
    }

    @Test func temporaryNameFitsPostgresIdentifiers() {
        // dbt-postgres: identifier[:63 - len(suffix)] + "__dbt_tmp" + HHMMSSffffff.
        let long = String(repeating: "x", count: 70)
        let name = PostgresAdapter.temporaryIdentifier(for: long, at: Date())
        #expect(name.count == 63)
        #expect(name.hasPrefix(String(repeating: "x", count: 42) + "__dbt_tmp"))
        #expect(PostgresAdapter.temporaryIdentifier(for: "m", at: Date()).count == 1 + 9 + 12)
    }

    @Test func strategiesPostgresLacksFailBeforeAnythingRuns() throws {
        let adapter = try TestCluster.adapter()
        defer { adapter.close() }
        let schema = "inc_" + UUID().uuidString.prefix(8).lowercased()
        try adapter.createSchema(schema)
        var test = Self.cases[0]
        test.strategy = "insert_overwrite"
        #expect(throws: WarehouseError.self) { try adapter.materialize(build(test, batch: 1, schema: schema)) }
        #expect(try adapter.listRelations(schema: schema).isEmpty)
    }
}

/// Round trips per build, and the relation cache staying right when the run changes relations.
@Suite struct PostgresRoundTripTests {
    func model(_ name: String, _ materialized: String, schema: String, sql: String = "select 1 as id") -> ModelBuild {
        ModelBuild(uniqueId: "model.rt.\(name)", name: name, relation: Relation(database: "postgres", schema: schema, identifier: name),
                   materialized: materialized, compiledSQL: sql, uniqueKey: ["id"], incrementalStrategy: "merge",
                   config: ["unique_key": .string("id")])
    }

    @Test func eachBuildIsOneRoundTripOnceTheSchemaIsListed() throws {
        let adapter = try TestCluster.adapter()
        defer { adapter.close() }
        let schema = "rt_" + UUID().uuidString.prefix(8).lowercased()
        try adapter.createSchema(schema)
        _ = try adapter.materialize(model("first", "table", schema: schema))   // lists the schema once
        for (name, kind, trips) in [("t", "table", 1), ("v", "view", 1), ("t", "table", 1), ("v", "view", 1),
                                    ("i", "incremental", 1), ("i", "incremental", 2)] {
            let before = adapter.statistics.roundTrips
            _ = try adapter.materialize(model(name, kind, schema: schema))
            #expect(adapter.statistics.roundTrips - before == trips, "\(kind) \(name)")
        }
        // A transaction that sends nothing costs nothing; one statement in it costs two (begin rides along).
        let before = adapter.statistics.roundTrips
        try adapter.transaction {}
        #expect(adapter.statistics.roundTrips == before)
        try adapter.transaction { _ = try adapter.query("select 1", limit: nil) }
        #expect(adapter.statistics.roundTrips == before + 2)
        let kinds = try adapter.listRelations(schema: schema).map { "\($0.identifier):\($0.kind?.rawValue ?? "")" }
        #expect(kinds == ["first:table", "i:table", "t:table", "v:view"])
    }

    @Test func aRolledBackBuildLeavesTheCacheRight() throws {
        let adapter = try TestCluster.adapter()
        defer { adapter.close() }
        let schema = "rt_" + UUID().uuidString.prefix(8).lowercased()
        try adapter.createSchema(schema)
        struct Abort: Error {}
        // The swap happens, then the transaction rolls back: the relation does not exist.
        #expect(throws: Abort.self) {
            try adapter.transaction {
                _ = try adapter.materialize(model("m", "table", schema: schema))
                throw Abort()
            }
        }
        #expect(try adapter.getRelation(database: nil, schema: schema, identifier: "m") == nil)
        // Had the cache kept "m is a table", this build would rename a missing table and fail.
        _ = try adapter.materialize(model("m", "view", schema: schema, sql: "select 2 as id"))
        #expect(try adapter.query(#"select id from "\#(schema)"."m""#, limit: nil).rows == [[.integer(2)]])
        // A relation dropped through the adapter is forgotten by the cache too.
        try adapter.dropRelation(Relation(database: "postgres", schema: schema, identifier: "m", kind: .view))
        _ = try adapter.materialize(model("m", "table", schema: schema, sql: "select 3 as id"))
        #expect(try adapter.query(#"select id from "\#(schema)"."m""#, limit: nil).rows == [[.integer(3)]])
    }

    @Test func errorPositionsIgnoreTheBeginSentAlong() throws {
        let adapter = try TestCluster.adapter()
        defer { adapter.close() }
        // PostgreSQL reports the position in the text it received, which starts with `begin;`
        // inside a transaction: the line and column must still be the caller's.
        do {
            try adapter.transaction { _ = try adapter.query("select 1\nfrom no_such_relation_xyz", limit: nil) }
            Issue.record("no error")
        } catch let error as WarehouseError {
            #expect(error.message.contains("LINE 2, column 6"))
            #expect(error.sql == "select 1\nfrom no_such_relation_xyz")
        }
    }
}
