import Foundation
import Testing
import Warehouse
@testable import WarehousePostgres

/// `dialect: bigquery` on a `postgres` target: BigQuery SQL translated to PostgreSQL, BigQuery
/// names and types outside, native PostgreSQL DDL inside. Expected values come from BigQuery's
/// documentation (function semantics) and the translator's storage contract (INT64 is `bigint`,
/// TIMESTAMP `timestamptz` …, `SQLType(postgres:)`).
@Suite struct PostgresBigQueryDialectTests {
    static func adapter(schema: String) throws -> PostgresAdapter {
        var settings = try TestCluster.settings(schema: schema)
        settings["dialect"] = "bigquery"
        return try PostgresAdapter(settings: settings)
    }

    static func schemaName(_ prefix: String) -> String { prefix + "_" + UUID().uuidString.prefix(8).lowercased() }

    @Test func profileReadsTheDialect() throws {
        var settings = ["host": "h", "user": "u", "dbname": "d", "schema": "s"]
        #expect(try PostgresProfile(settings: settings).dialect == "postgres")
        settings["dialect"] = "BigQuery"
        let profile = try PostgresProfile(settings: settings)
        #expect(profile.dialect == "bigquery")
        #expect(profile.connectionParameters.contains { $0.0 == "options" && $0.1 == "-c TimeZone=UTC" })
        settings["dialect"] = "snowflake"
        #expect(throws: WarehouseError.self) { try PostgresProfile(settings: settings) }
    }

    @Test func namesAreBigQueryOutsideAndPostgresInside() throws {
        let adapter = try Self.adapter(schema: "dev")
        defer { adapter.close() }
        let relation = Relation(database: "postgres", schema: "dev", identifier: "orders")
        #expect(adapter.dialect == "bigquery")
        #expect(adapter.render(relation) == "`dev`.`orders`")
        #expect(adapter.quote("a`b") == "`a\\`b`")
        #expect(adapter.nativeRender(relation) == "\"postgres\".\"dev\".\"orders\"")
        #expect(adapter.nativeQuote("a\"b") == "\"a\"\"b\"")
        // The translator reads BigQuery's form as the PostgreSQL relation.
        let translated = try #require(try adapter.bigQueryTranslation("select 1 as x from \(adapter.render(relation))"))
        #expect(translated.sql.contains("\"dev\".\"orders\""))
    }

    @Test func bigQueryTypesMapToTheTranslatorsStorage() {
        let expected = ["INT64": "bigint", "STRING": "text", "FLOAT64": "double precision", "NUMERIC": "numeric",
                        "BIGNUMERIC": "numeric", "BOOL": "boolean", "DATE": "date", "DATETIME": "timestamp",
                        "TIMESTAMP": "timestamptz", "TIME": "time", "BYTES": "bytea", "JSON": "jsonb",
                        "ARRAY<INT64>": "bigint[]", "varchar(10)": "varchar(10)"]
        for (logical, storage) in expected {
            #expect(PostgresTypes.columnType(forBigQuery: logical) == storage, "\(logical)")
        }
        #expect(PostgresTypes.bigQueryType(ofPostgres: "character varying(10)") == .string)
        #expect(PostgresTypes.bigQueryType(ofPostgres: "numeric(12,2)") == .numeric)
        #expect(PostgresTypes.bigQueryType(ofPostgres: "timestamp(3) with time zone") == .timestamp)
        #expect(PostgresTypes.bigQueryType(ofPostgres: "text[]") == .array(.string))
        #expect(PostgresTypes.bigQueryType(ofPostgres: "point") == nil)
    }

    /// Seeds arrive with BigQuery types, are stored in PostgreSQL's, and read back as BigQuery's;
    /// models, hooks and queries are BigQuery SQL.
    @Test func seedsModelsAndQueriesSpeakBigQuery() throws {
        let schema = Self.schemaName("bqdialect")
        let adapter = try Self.adapter(schema: schema)
        defer {
            _ = try? adapter.executeNative("drop schema if exists \(adapter.nativeQuote(schema)) cascade")
            adapter.close()
        }
        try adapter.createSchema(schema)
        let seed = Relation(database: nil, schema: schema, identifier: "events")
        let logical = [Column(name: "id", dataType: "INT64"), Column(name: "at", dataType: "TIMESTAMP"),
                       Column(name: "ok", dataType: "BOOL"), Column(name: "amount", dataType: "NUMERIC"),
                       Column(name: "label", dataType: "STRING"), Column(name: "day", dataType: "DATE")]
        try adapter.createTable(seed, columns: logical)
        let copied = try adapter.insert(into: seed, columns: logical.map(\.name), rows: [
            [.integer(1), .text("2026-01-01 23:30:00"), .bool(true), .text("2.50"), .text("a"), .text("2026-01-01")],
            [.integer(2), .text("2026-01-02 10:00:00"), .bool(false), .text("4"), .text("b"), .text("2026-01-03")],
        ])
        #expect(copied == 2)
        #expect(try adapter.columns(of: seed).map(\.dataType) == ["INT64", "TIMESTAMP", "BOOL", "NUMERIC", "STRING", "DATE"])
        let native = try adapter.queryNative("""
            select format_type(atttypid, atttypmod) from pg_attribute
            where attrelid = '\(adapter.nativeRender(seed))'::regclass and attnum > 0 order by attnum
            """, limit: nil)
        #expect(native.rows.map { $0[0] } == [.text("bigint"), .text("timestamp with time zone"), .text("boolean"),
                                               .text("numeric"), .text("text"), .text("date")])

        // BigQuery semantics: `/` divides as floats (7 / 2 = 3.5), DATE_DIFF counts day
        // boundaries, and a TIMESTAMP's hour is taken in UTC (the connection's zone).
        let model = Relation(database: nil, schema: schema, identifier: "daily")
        let built = try adapter.replaceTable(model, withSelect: """
            select id, 7 / 2 as half, date_diff(day, date '2026-01-01', day) as days,
                   extract(hour from timestamp '2026-01-01 10:00:00+02') as utc_hour
            from \(adapter.render(seed))
            where ok
            """)
        #expect(built.response.rowsAffected == 1)
        #expect(try adapter.columns(of: model).map(\.dataType) == ["INT64", "FLOAT64", "INT64", "INT64"])
        let rows = try adapter.query("select * from \(adapter.render(model))", limit: nil)
        #expect(rows.rows == [[.integer(1), .real(3.5), .integer(0), .integer(8)]])

        // A hook that becomes several statements (CREATE OR REPLACE: DROP + CREATE) runs whole, twice.
        for _ in 0..<2 {
            try adapter.execute("create or replace table \(adapter.render(model.withIdentifier("copy"))) as select label from \(adapter.render(seed))")
        }
        let copies = try adapter.query("select count(*) as n, string_agg(label, ',' order by label) as labels from \(adapter.render(model.withIdentifier("copy")))", limit: nil)
        #expect(copies.rows == [[.integer(2), .text("a,b")]])
        #expect(copies.columns.map(\.dataType) == ["INT64", "STRING"])

        // A view through the same path, and a construct the translator refuses is an error naming it.
        _ = try adapter.replaceView(model.withIdentifier("v"), withSelect: "select safe_divide(amount, 0) as r from \(adapter.render(seed))")
        #expect(try adapter.query("select count(*) from \(adapter.render(model.withIdentifier("v"))) where r is null", limit: nil).rows == [[.integer(2)]])
        #expect(throws: WarehouseError.self) { try adapter.query("select 1 +", limit: nil) }
    }
}
