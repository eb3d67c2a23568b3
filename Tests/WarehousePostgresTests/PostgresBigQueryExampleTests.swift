import Foundation
import OpsFlowTestSupport
import Testing
import Warehouse
@testable import WarehousePostgres

/// The OpsFlow Analytics example (BigQuery SQL) built by the `opsflow` binary on PostgreSQL with
/// `dialect: bigquery`, compared with the same demo on the embedded warehouse (which translates
/// the same models to SQLite): the same nodes pass, warn and fail, and the same forecast prints.
@Suite struct PostgresBigQueryExampleTests {
    /// `opsflow demo` loads the raw extracts, builds the models and runs the tests on PostgreSQL
    /// in a database of its own (the example's source schema is `raw`, shared otherwise).
    @Test func exampleBuildsOnPostgresWithBigQueryDialect() throws {
        let settings = try TestCluster.settings()
        let admin = try TestCluster.adapter()
        defer { admin.close() }
        let database = "opsflow_bq_" + UUID().uuidString.prefix(8).lowercased()
        try admin.executeNative("create database \(admin.nativeQuote(database))")
        defer { _ = try? admin.executeNative("drop database if exists \(admin.nativeQuote(database)) with (force)") }

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opsflow-pg-example-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/pg", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/lite", withIntermediateDirectories: true)
        let pgProject = try ExampleBuild.copyExample(into: dir + "/pg")
        let liteProject = try ExampleBuild.copyExample(into: dir + "/lite")
        let profiles = """
            opsflow_analytics:
              target: dev
              outputs:
                dev:
                  type: sqlite
                  dialect: bigquery
                  path: opsflow.sqlite
                  schema: dev
                  threads: 4
                pg:
                  type: postgres
                  dialect: bigquery
                  host: 127.0.0.1
                  port: \(settings["port"] ?? "5432")
                  user: \(settings["user"] ?? "postgres")
                  password: unused
                  dbname: \(database)
                  schema: dev
                  threads: 4
            """
        try profiles.write(toFile: pgProject + "/profiles.yml", atomically: true, encoding: .utf8)
        let demo = ["demo", "--days", "90", "--orders-per-day", "150", "--end-date", "2026-11-29"]
        let pg = try ExampleBuild.opsflow(demo + ["--project-dir", pgProject, "--target", "pg"], home: dir + "/pg")
        #expect(pg.status == 0, "\(pg.output.suffix(6000))\n\(pg.errors.suffix(2000))")
        let lite = try ExampleBuild.opsflow(demo + ["--project-dir", liteProject], home: dir + "/lite")
        #expect(lite.status == 0, "\(lite.output.suffix(3000))\n\(lite.errors.suffix(2000))")
        #expect(ExampleBuild.summary(pg.output)?.contains("ERROR=0 SKIP=0") == true, "\(pg.output.suffix(6000))")
        #expect(ExampleBuild.summary(pg.output) == ExampleBuild.summary(lite.output))
        #expect(!ExampleBuild.forecast(pg.output).isEmpty)
        #expect(ExampleBuild.forecast(pg.output) == ExampleBuild.forecast(lite.output))

        // The marts are PostgreSQL tables in the target's schemas, with BigQuery's column types.
        var pgSettings = settings
        pgSettings["dbname"] = database
        pgSettings["dialect"] = "bigquery"
        let warehouse = try PostgresAdapter(settings: pgSettings)
        defer { warehouse.close() }
        let marts = try warehouse.listRelations(schema: "dev_marts").map(\.identifier)
        #expect(marts.contains("mart_volume_forecast"))
    }

    /// Seeds (loaded with BigQuery types) and an incremental model written in BigQuery SQL: the
    /// second build merges on the key (dbt's `merge` strategy: matched rows updated, new rows
    /// inserted, rows outside the `is_incremental()` filter kept as they were).
    @Test func seedsAndIncrementalModelsInBigQuerySQL() throws {
        let settings = try TestCluster.settings()
        let admin = try TestCluster.adapter()
        defer { admin.close() }
        let database = "opsflow_bqinc_" + UUID().uuidString.prefix(8).lowercased()
        try admin.executeNative("create database \(admin.nativeQuote(database))")
        defer { _ = try? admin.executeNative("drop database if exists \(admin.nativeQuote(database)) with (force)") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opsflow-pg-inc-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files: [String: String] = [
            "dbt_project.yml": "name: inc\nversion: '1.0'\nconfig-version: 2\nprofile: inc\n",
            "profiles.yml": """
                inc:
                  target: pg
                  outputs:
                    pg:
                      type: postgres
                      dialect: bigquery
                      host: 127.0.0.1
                      port: \(settings["port"] ?? "5432")
                      user: postgres
                      password: unused
                      dbname: \(database)
                      schema: dev
                """,
            "seeds/kinds.csv": "id,kind,amount,day\n1,a,1.5,2026-01-01\n2,b,2,2026-01-02\n",
            "models/events.sql": """
                {{ config(materialized='incremental', unique_key='id', incremental_strategy='merge') }}
                select id, kind, amount * 2 as doubled, date_add(day, interval 1 month) as next_month,
                       timestamp_add(timestamp '2026-01-01 00:00:00', interval id hour) as created_at
                from {{ ref('kinds') }}
                {% if is_incremental() %} where id >= (select max(id) from {{ this }}) {% endif %}
                """,
        ]
        for (path, text) in files {
            let url = URL(fileURLWithPath: dir + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let first = try ExampleBuild.opsflow(["build", "--project-dir", dir], home: dir)
        #expect(first.status == 0, "\(first.output.suffix(3000))\n\(first.errors.suffix(1000))")
        // Row 1 changes too, but the filter (id >= 2) leaves it out; row 2 is updated, 3 added.
        try "id,kind,amount,day\n1,z,9,2026-01-01\n2,b2,2.25,2026-01-31\n3,c,3,2026-02-28\n"
            .write(toFile: dir + "/seeds/kinds.csv", atomically: true, encoding: .utf8)
        let second = try ExampleBuild.opsflow(["build", "--project-dir", dir], home: dir)
        #expect(second.status == 0, "\(second.output.suffix(3000))\n\(second.errors.suffix(1000))")

        var pgSettings = settings
        pgSettings["dbname"] = database
        pgSettings["dialect"] = "bigquery"
        let warehouse = try PostgresAdapter(settings: pgSettings)
        defer { warehouse.close() }
        let events = Relation(schema: "dev", identifier: "events")
        #expect(try warehouse.columns(of: Relation(schema: "dev", identifier: "kinds")).map(\.dataType).first == "INT64")
        #expect(try warehouse.columns(of: events).map(\.dataType) == ["INT64", "STRING", "FLOAT64", "DATE", "TIMESTAMP"])
        // BigQuery's DATE_ADD with MONTH clamps to the month's last day (2026-01-31 + 1 month = 2026-02-28).
        let rows = try warehouse.query("""
            select id, kind, doubled, cast(next_month as string) as next_month, extract(hour from created_at) as hour
            from \(warehouse.render(events)) order by id
            """, limit: nil).rows
        #expect(rows == [[.integer(1), .text("a"), .real(3), .text("2026-02-01"), .integer(1)],
                         [.integer(2), .text("b2"), .real(4.5), .text("2026-02-28"), .integer(2)],
                         [.integer(3), .text("c"), .real(6), .text("2026-03-28"), .integer(3)]])
    }
}
