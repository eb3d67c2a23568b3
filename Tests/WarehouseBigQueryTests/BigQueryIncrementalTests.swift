import Foundation
import Testing
import Warehouse
@testable import WarehouseBigQuery

/// Incremental models: merge (default) and insert_overwrite with static and dynamic partitions,
/// as dbt-bigquery writes them. Expected rows follow from MERGE's semantics on the literals.
@Suite struct BigQueryIncrementalTests {
    let helper = BigQueryMaterializeTests()

    /// First run builds the table; the second merges on the unique key (updates 2, inserts 3).
    @Test func mergeOnUniqueKey() throws {
        let (env, adapter, dataset) = try helper.setUp("merge")
        var build = helper.model("orders_inc", dataset: dataset, materialized: "incremental",
                                 sql: "select 1 as id, 'a' as v union all select 2, 'b'", uniqueKey: ["id"])
        _ = try adapter.materialize(build)
        build.compiledSQL = "select 2 as id, 'B' as v union all select 3, 'c'"
        let built = try #require(try adapter.materialize(build))
        let target = "`\(env.project)`.`\(dataset)`.`orders_inc`"
        #expect(built.executedSQL == ["""
            merge into \(target) as DBT_INTERNAL_DEST
                using (
            select 2 as id, 'B' as v union all select 3, 'c'
                ) as DBT_INTERNAL_SOURCE
                on (DBT_INTERNAL_SOURCE.`id` = DBT_INTERNAL_DEST.`id`)
                when matched then update set
                    `id` = DBT_INTERNAL_SOURCE.`id`,
                    `v` = DBT_INTERNAL_SOURCE.`v`
                when not matched then insert
                    (`id`, `v`)
                values
                    (`id`, `v`)
            """])
        #expect(built.response.code == "MERGE")
        #expect(try helper.ids(adapter, target) == [[.integer(1), .text("a")], [.integer(2), .text("B")], [.integer(3), .text("c")]])
        // merge_update_columns limits the update; incremental_predicates narrow the match.
        build.config = ["merge_update_columns": .list([.string("v")]), "incremental_predicates": .list([.string("DBT_INTERNAL_DEST.id > 2")])]
        build.compiledSQL = "select 2 as id, 'BB' as v union all select 3, 'CC'"
        let narrowed = try #require(try adapter.materialize(build))
        #expect(narrowed.executedSQL.first?.contains("on (DBT_INTERNAL_DEST.id > 2) and (DBT_INTERNAL_SOURCE.`id` = DBT_INTERNAL_DEST.`id`)\n    when matched then update set\n        `v` = DBT_INTERNAL_SOURCE.`v`\n") == true)
        // id 2 fails the predicate, so it does not match and is inserted again; id 3 is updated.
        #expect(try adapter.query("select * from \(target) order by id, v", limit: nil).rows
                == [[.integer(1), .text("a")], [.integer(2), .text("B")], [.integer(2), .text("BB")], [.integer(3), .text("CC")]])
        build.config = [:]
        // Without a unique key the merge is `on (FALSE)`: every row is inserted.
        build.uniqueKey = []
        _ = try adapter.materialize(build)
        #expect(try adapter.scalar("select count(*) from \(target)") == .integer(6))
        // --full-refresh rebuilds.
        build.fullRefresh = true
        _ = try adapter.materialize(build)
        #expect(try adapter.scalar("select count(*) from \(target)") == .integer(2))
    }

    /// on_schema_change append_new_columns: a temporary table (expiring in 12 hours) shows the
    /// new column, which is added before the merge; `fail` stops the run.
    @Test func schemaChangeAppendsColumns() throws {
        let (env, adapter, dataset) = try helper.setUp("osc")
        var build = helper.model("events", dataset: dataset, materialized: "incremental", sql: "select 1 as id",
                                 uniqueKey: ["id"], onSchemaChange: "append_new_columns")
        _ = try adapter.materialize(build)
        build.compiledSQL = "select 2 as id, 'new' as note"
        let built = try #require(try adapter.materialize(build))
        let target = "`\(env.project)`.`\(dataset)`.`events`"
        #expect(built.executedSQL.first?.contains("create or replace table `\(env.project)`.`\(dataset)`.`events__dbt_tmp`") == true)
        #expect(built.executedSQL.first?.contains("expiration_timestamp=TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 12 hour)") == true)
        #expect(built.executedSQL.contains("alter table \(target)\n    add column `note` STRING"))
        #expect(try helper.ids(adapter, target) == [[.integer(1), .null], [.integer(2), .text("new")]])
        #expect(try adapter.getRelation(database: nil, schema: dataset, identifier: "events__dbt_tmp") == nil)
        build.onSchemaChange = "fail"
        build.compiledSQL = "select 3 as id, 'x' as note, 1.5 as extra"
        #expect(throws: WarehouseError.self) { try adapter.materialize(build) }
    }

    /// insert_overwrite with static partitions: the listed partitions are replaced whole, others kept.
    @Test func insertOverwriteStaticPartitions() throws {
        let (env, adapter, dataset) = try helper.setUp("iostatic")
        let partition: ConfigSetting = .dict(["field": .string("day"), "data_type": .string("date")])
        var build = helper.model("daily", dataset: dataset, materialized: "incremental",
                                 sql: "select date '2024-01-01' as day, 1 as n union all select date '2024-01-02', 2 union all select date '2024-01-02', 3",
                                 config: ["partition_by": partition], strategy: "insert_overwrite")
        _ = try adapter.materialize(build)
        build.config["partitions"] = .list([.string("date('2024-01-02')"), .string("date('2024-01-03')")])
        build.compiledSQL = "select date '2024-01-02' as day, 20 as n union all select date '2024-01-03', 30"
        let built = try #require(try adapter.materialize(build))
        let target = "`\(env.project)`.`\(dataset)`.`daily`"
        #expect(built.executedSQL == ["""
            merge into \(target) as DBT_INTERNAL_DEST
                using (
            select date '2024-01-02' as day, 20 as n union all select date '2024-01-03', 30
            ) as DBT_INTERNAL_SOURCE
                on FALSE
                when not matched by source
                     and date(DBT_INTERNAL_DEST.day) in (date('2024-01-02'), date('2024-01-03'))
                    then delete
                when not matched then insert
                    (`day`, `n`)
                values
                    (`day`, `n`)
            """])
        #expect(try adapter.query("select * from \(target) order by n", limit: nil).rows == [
            [.text("2024-01-01"), .integer(1)], [.text("2024-01-02"), .integer(20)], [.text("2024-01-03"), .integer(30)],
        ])
    }

    /// insert_overwrite with dynamic partitions: dbt-bigquery's script (declare, temp table,
    /// `set … = (select as struct array_agg(distinct … IGNORE NULLS))`, merge, drop). The
    /// emulator's SQL translation rejects `array_agg(distinct … IGNORE NULLS)` inside
    /// `select as struct`, so the script is checked against the statement dbt-bigquery writes,
    /// and its run is replayed as BigQuery answers a script job.
    @Test func insertOverwriteDynamicPartitionsScript() throws {
        let (env, adapter, dataset) = try helper.setUp("iodyn")
        let partition: ConfigSetting = .dict(["field": .string("day"), "data_type": .string("date")])
        var build = helper.model("daily", dataset: dataset, materialized: "incremental",
                                 sql: "select date '2024-01-01' as day, 1 as n", config: ["partition_by": partition],
                                 strategy: "insert_overwrite")
        _ = try adapter.materialize(build)
        build.compiledSQL = "select date '2024-01-02' as day, 2 as n\nwhere date '2024-01-02' >= _dbt_max_partition"
        let target = "`\(env.project)`.`\(dataset)`.`daily`"
        let temporary = "`\(env.project)`.`\(dataset)`.`daily__dbt_tmp`"
        let script = """
            -- generated script to merge partitions into \(target)
            declare dbt_partitions_for_replacement array<date>;

            declare _dbt_max_partition date default (
              select max(day) from \(target)
              where day is not null
            );

            -- 1. create a temp table with model data
            create or replace table \(temporary)
            partition by day
            OPTIONS(
                  expiration_timestamp=TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 12 hour)
                )
            as (
            select date '2024-01-02' as day, 2 as n
            where date '2024-01-02' >= _dbt_max_partition
            );

            -- 2. define partitions to update
            set (dbt_partitions_for_replacement) = (
                select as struct
                    -- IGNORE NULLS: this needs to be aligned to _dbt_max_partition, which ignores null
                    array_agg(distinct date(day) IGNORE NULLS)
                from \(temporary)
            );

            -- 3. run the merge statement
            merge into \(target) as DBT_INTERNAL_DEST
                using (
            select * from \(temporary)
            ) as DBT_INTERNAL_SOURCE
                on FALSE
                when not matched by source
                     and date(DBT_INTERNAL_DEST.day) in unnest(dbt_partitions_for_replacement)
                    then delete
                when not matched then insert
                    (`day`, `n`)
                values
                    (`day`, `n`);

            -- 4. clean up the temp table
            drop table if exists \(temporary)
            """
        let scriptJob: [String: Any] = [
            "jobReference": ["projectId": env.project, "jobId": "script_job_1", "location": "US"],
            "status": ["state": "DONE"],
            "statistics": ["query": ["statementType": "SCRIPT", "totalBytesProcessed": "2048"]],
        ]
        try env.control("/__reply", ["path": "/jobs", "body_match": "generated script to merge partitions into", "body": scriptJob])
        let built = try #require(try adapter.materialize(build))
        #expect(built.executedSQL.first == script)
        #expect(built.response.message == "SCRIPT (2.0 KiB processed)")
    }
}
