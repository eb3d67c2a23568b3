import Foundation
import Testing
import Warehouse
@testable import WarehouseBigQuery

/// Models built the dbt-bigquery way (`materialize`): DDL options checked against the statements
/// dbt-bigquery's macros write (docs.getdbt.com/reference/resource-configs/bigquery-configs), and
/// run on the emulator, whose tables.get shows the partitioning it applied.
@Suite struct BigQueryMaterializeTests {
    func model(_ name: String, dataset: String, materialized: String, sql: String, config: [String: ConfigSetting] = [:],
               uniqueKey: [String] = [], strategy: String? = nil, onSchemaChange: String = "ignore",
               description: String = "", columns: [String: String] = [:], fullRefresh: Bool = false) -> ModelBuild {
        ModelBuild(uniqueId: "model.opsflow_analytics.\(name)", name: name, relation: Relation(schema: dataset, identifier: name),
                   materialized: materialized, compiledSQL: sql, fullRefresh: fullRefresh, uniqueKey: uniqueKey,
                   incrementalStrategy: strategy, onSchemaChange: onSchemaChange, config: config, description: description,
                   columnDescriptions: columns)
    }

    func setUp(_ prefix: String) throws -> (BigQueryTestEnvironment, BigQueryAdapter, String) {
        let env = try BigQueryTestEnvironment.get()
        let dataset = BigQueryTestEnvironment.dataset(prefix)
        let adapter = try env.adapter(dataset: dataset)
        try adapter.createSchema(dataset)
        return (env, adapter, dataset)
    }

    func ids(_ adapter: BigQueryAdapter, _ relation: String) throws -> [[Cell]] {
        try adapter.query("select * from \(relation) order by 1", limit: nil).rows
    }

    /// partition_by (date), cluster_by, labels, persisted descriptions, require_partition_filter
    /// and partition_expiration_days.
    @Test func partitionedClusteredTable() throws {
        let (env, adapter, dataset) = try setUp("part")
        let build = model("fct_orders", dataset: dataset, materialized: "table",
                          sql: "select 1 as order_id, date '2024-01-01' as order_day, 'SP' as station\n",
                          config: [
                            "partition_by": .dict(["field": .string("order_day"), "data_type": .string("date")]),
                            "cluster_by": .list([.string("station"), .string("order_id")]),
                            "labels": .dict(["team": .string("ops"), "tier": .string("gold")]),
                            "persist_docs": .dict(["relation": .bool(true), "columns": .bool(true)]),
                            "require_partition_filter": .bool(false), "partition_expiration_days": .int(400),
                          ],
                          description: "Orders, one row per order. It's daily.", columns: ["station": "The station code"])
        let built = try #require(try adapter.materialize(build))
        let target = "`\(env.project)`.`\(dataset)`.`fct_orders`"
        #expect(built.executedSQL == [
            """
            create or replace table \(target)
            partition by order_day
            cluster by station, order_id
            OPTIONS(
                  description='Orders, one row per order. It\\'s daily.', labels=[('team', 'ops'), ('tier', 'gold')], partition_expiration_days=400
                )
            as (
            select 1 as order_id, date '2024-01-01' as order_day, 'SP' as station
            )
            """,
            "alter table \(target) alter column `station` set options(description='The station code')",
        ])
        #expect(built.response.code == "CREATE TABLE")
        #expect(built.response.message == "CREATE TABLE (1.0 rows, 0.0 Bytes processed)")
        let table = try #require(try adapter.tableResource(Relation(schema: dataset, identifier: "fct_orders")))
        #expect((table["timePartitioning"] as? [String: Any])?["field"] as? String == "order_day")
        #expect((table["timePartitioning"] as? [String: Any])?["expirationMs"] as? String == String(400 * 86_400_000))
        #expect(table["description"] as? String == "Orders, one row per order. It's daily.")
    }

    /// The partition expressions of dbt-bigquery's PartitionConfig.render for each kind.
    @Test func partitionExpressions() throws {
        func render(_ dict: [String: ConfigSetting]) throws -> String? { try BigQueryPartition(.dict(dict))?.render() }
        #expect(try render(["field": .string("d")]) == "d")
        #expect(try render(["field": .string("d"), "granularity": .string("month")]) == "date_trunc(d, month)")
        #expect(try render(["field": .string("ts"), "data_type": .string("timestamp")]) == "timestamp_trunc(ts, day)")
        #expect(try render(["field": .string("ts"), "data_type": .string("TIMESTAMP"), "granularity": .string("hour")]) == "timestamp_trunc(ts, hour)")
        #expect(try render(["field": .string("dt"), "data_type": .string("datetime"), "granularity": .string("year")]) == "datetime_trunc(dt, year)")
        #expect(try render(["field": .string("id"), "data_type": .string("int64"),
                            "range": .dict(["start": .int(0), "end": .int(100), "interval": .int(10)])])
                == "range_bucket(id, generate_array(0, 100, 10))")
        #expect(try render(["field": .string("d"), "time_ingestion_partitioning": .bool(true)]) == "_PARTITIONDATE")
        #expect(try render(["field": .string("ts"), "data_type": .string("timestamp"), "time_ingestion_partitioning": .bool(true)])
                == "timestamp_trunc(_PARTITIONTIME, day)")
        #expect(try BigQueryPartition(.dict(["field": .string("d")]))?.renderWrapped(alias: "DBT_INTERNAL_DEST") == "date(DBT_INTERNAL_DEST.d)")
        #expect(throws: WarehouseError.self) { try BigQueryPartition(.dict(["field": .string("id"), "data_type": .string("int64")])) }
        #expect(throws: WarehouseError.self) { try BigQueryPartition(.dict(["data_type": .string("date")])) }
        #expect(try BigQueryPartition(nil) == nil)
    }

    /// Integer-range and timestamp partitions run on the emulator; changing the partitioning drops
    /// and rebuilds the table (BigQuery refuses CREATE OR REPLACE across partitioning specs).
    @Test func rangeAndTimestampPartitionsAndRepartitioning() throws {
        let (env, adapter, dataset) = try setUp("range")
        let ranged = model("by_id", dataset: dataset, materialized: "table", sql: "select 5 as id, timestamp '2024-01-01 10:00:00' as ts",
                           config: ["partition_by": .dict(["field": .string("id"), "data_type": .string("int64"),
                                                           "range": .dict(["start": .int(0), "end": .int(100), "interval": .int(10)])])])
        _ = try adapter.materialize(ranged)
        // The emulator's tables.get reports only plain date-column partitioning, so the
        // replaceability decision is checked on documented Table resources in the next test.
        var retimed = ranged
        retimed.config = ["partition_by": .dict(["field": .string("ts"), "data_type": .string("timestamp"), "granularity": .string("hour")])]
        let built = try #require(try adapter.materialize(retimed))
        #expect(built.executedSQL.first == "-- dropped `\(env.project)`.`\(dataset)`.`by_id` (table)")
        #expect(built.executedSQL.last?.contains("partition by timestamp_trunc(ts, hour)") == true)
        #expect(try ids(adapter, adapter.render(ranged.relation)) == [[.integer(5), .text("2024-01-01 10:00:00+00")]])
    }

    /// Views get OPTIONS (description, labels) and replace a table of the same name.
    @Test func viewWithOptions() throws {
        let (env, adapter, dataset) = try setUp("view")
        _ = try adapter.replaceTable(Relation(schema: dataset, identifier: "v_orders"), withSelect: "select 1 as id")
        let build = model("v_orders", dataset: dataset, materialized: "view", sql: "select 2 as id",
                          config: ["labels": .dict(["team": .string("ops")]), "persist_docs": .dict(["relation": .bool(true)])],
                          description: "Line one\nline two")
        let built = try #require(try adapter.materialize(build))
        #expect(built.executedSQL.last == """
            create or replace view `\(env.project)`.`\(dataset)`.`v_orders`
            OPTIONS(
                  description='Line one\\nline two', labels=[('team', 'ops')]
                )
            as select 2 as id
            """)
        #expect(try adapter.getRelation(database: nil, schema: dataset, identifier: "v_orders")?.kind == .view)
        #expect(try ids(adapter, adapter.render(build.relation)) == [[.integer(2)]])
    }

    /// dbt-bigquery's `is_replaceable`, on Table resources shaped as the REST reference documents
    /// (`timePartitioning {type, field}`, `rangePartitioning {field, range}`, `clustering {fields}`).
    @Test func replaceabilityFollowsPartitioningAndClustering() throws {
        let env = try BigQueryTestEnvironment.get()
        let adapter = try env.adapter()
        let day = try BigQueryPartition(.dict(["field": .string("order_day")]))
        let hourly = try BigQueryPartition(.dict(["field": .string("ts"), "data_type": .string("timestamp"), "granularity": .string("hour")]))
        let ranged = try BigQueryPartition(.dict(["field": .string("id"), "data_type": .string("int64"),
                                                  "range": .dict(["start": .int(0), "end": .int(10), "interval": .int(1)])]))
        let byDay: [String: Any] = ["type": "TABLE", "timePartitioning": ["type": "DAY", "field": "order_day"], "clustering": ["fields": ["station"]]]
        #expect(adapter.isReplaceable(byDay, partition: day, cluster: ["station"]))
        #expect(!adapter.isReplaceable(byDay, partition: day, cluster: []))
        #expect(!adapter.isReplaceable(byDay, partition: hourly, cluster: ["station"]))
        #expect(!adapter.isReplaceable(byDay, partition: nil, cluster: ["station"]))
        #expect(adapter.isReplaceable(["type": "TABLE", "timePartitioning": ["type": "HOUR", "field": "ts"]], partition: hourly, cluster: []))
        #expect(adapter.isReplaceable(["type": "TABLE", "rangePartitioning": ["field": "id", "range": ["start": "0", "end": "10", "interval": "1"]]],
                                      partition: ranged, cluster: []))
        #expect(adapter.isReplaceable(["type": "TABLE"], partition: nil, cluster: []))
    }

    /// Ingestion-time partitioning: the table is declared from the dry run's schema without the
    /// partition field, then filled through `_PARTITIONTIME` (dbt-bigquery's two statements).
    /// The emulator creates the table but cannot insert into the `_PARTITIONTIME` pseudo-column,
    /// so that insert is checked as recorded and answered as BigQuery answers it.
    @Test func ingestionTimePartitioning() throws {
        let (env, adapter, dataset) = try setUp("ingest")
        let build = model("events", dataset: dataset, materialized: "table",
                          sql: "select timestamp '2024-01-01 10:00:00' as loaded_at, 7 as n, 'a' as s",
                          config: ["partition_by": .dict(["field": .string("loaded_at"), "data_type": .string("timestamp"),
                                                          "time_ingestion_partitioning": .bool(true)])])
        let target = "`\(env.project)`.`\(dataset)`.`events`"
        let inserted: [String: Any] = [
            "jobReference": ["projectId": env.project, "jobId": "ingest_insert_1", "location": "US"], "status": ["state": "DONE"],
            "statistics": ["query": ["statementType": "INSERT", "numDmlAffectedRows": "1", "totalBytesProcessed": "0"]],
        ]
        try env.control("/__reply", ["path": "/jobs", "body_match": "insert into \(target) (_partitiontime", "body": inserted])
        let built = try #require(try adapter.materialize(build))
        #expect(built.executedSQL == [
            "create or replace table \(target) (`n` INT64, `s` STRING)\npartition by timestamp_trunc(_PARTITIONTIME, day)\n",
            "insert into \(target) (_partitiontime, `n`, `s`)\nselect timestamp(`loaded_at`), `n`, `s` from (\nselect timestamp '2024-01-01 10:00:00' as loaded_at, 7 as n, 'a' as s\n)",
        ])
        #expect(built.response.message == "INSERT (1.0 rows, 0.0 Bytes processed)")
        #expect(try adapter.columns(of: build.relation) == [Column(name: "n", dataType: "INT64"), Column(name: "s", dataType: "STRING")])
    }
}
