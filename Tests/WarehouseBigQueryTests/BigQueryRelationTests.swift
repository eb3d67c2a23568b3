import Foundation
import Testing
import Warehouse
@testable import WarehouseBigQuery

/// Datasets, load jobs (seeds, `opsflow load`) and introspection on the emulator.
@Suite struct BigQueryRelationTests {
    /// createSchema sends datasets.insert with the profile's location once; an existing dataset is fine.
    @Test func datasetIsCreatedWhenMissing() throws {
        let env = try BigQueryTestEnvironment.get()
        let dataset = BigQueryTestEnvironment.dataset("ds")
        let adapter = try env.adapter(dataset: dataset, extra: ["location": "EU"])
        try adapter.createSchema(dataset)
        try adapter.createSchema(dataset)
        // Another adapter (another run) meets the existing dataset: 409 is success.
        try env.adapter(dataset: dataset, extra: ["location": "EU"]).createSchema(dataset)
        let inserts = try env.requests(path: "/datasets", mentioning: dataset).filter { $0["method"] as? String == "POST" }
        #expect(inserts.count == 2)
        let body = try #require(inserts.first?["body"] as? [String: Any])
        #expect(body["location"] as? String == "EU")
        #expect((body["datasetReference"] as? [String: Any])?["datasetId"] as? String == dataset)
        #expect(try adapter.listRelations(schema: dataset).isEmpty)
    }

    /// Seeds load through one multipart load job of newline-delimited JSON, not row-by-row
    /// inserts; awkward text, nulls, booleans, dates and timestamps arrive intact (the values
    /// loaded are the oracle; timestamps read back in BigQuery's `CAST(… AS STRING)` form).
    @Test func seedsLoadThroughLoadJobs() throws {
        let env = try BigQueryTestEnvironment.get()
        let dataset = BigQueryTestEnvironment.dataset("seed")
        let adapter = try env.adapter(dataset: dataset)
        try adapter.createSchema(dataset)
        let table = Relation(schema: dataset, identifier: "raw_orders")
        let columns = [
            Column(name: "id", dataType: "INT64"), Column(name: "amount", dataType: "FLOAT64"), Column(name: "label", dataType: "STRING"),
            Column(name: "flag", dataType: "BOOL"), Column(name: "day", dataType: "DATE"), Column(name: "at", dataType: "TIMESTAMP"),
        ]
        try adapter.createTable(table, columns: columns)
        let awkward = "tab\there \"dq\" 'sq' back\\slash \\N\nnew line\r\né 🚚"
        let rows: [[Cell]] = [
            [.integer(1), .real(12.5), .text("plain"), .bool(true), .text("2025-01-02"), .text("2025-01-02 03:04:05")],
            [.integer(2), .real(-0.25), .text(awkward), .bool(false), .text("2024-02-29"), .text("2024-02-29 23:59:59.5")],
            [.integer(3), .null, .null, .null, .null, .null],
            [.integer(1 << 40), .real(1e-7), .text(""), .bool(true), .text("1999-12-31"), .text("2000-01-01 00:00:00")],
        ]
        #expect(try adapter.insert(into: table, columns: columns.map(\.name), rows: rows) == 4)
        let loads = try env.requests(path: "/upload/bigquery/v2/projects/\(env.project)/jobs", mentioning: dataset)
        #expect(loads.count == 1)
        let multipart = loads.first?["multipart"] as? String ?? ""
        #expect(multipart.contains(#""sourceFormat":"NEWLINE_DELIMITED_JSON""#))
        #expect(multipart.contains(#""writeDisposition":"WRITE_APPEND""#))
        let back = try adapter.query("select id, amount, label, flag, day, `at` from \(adapter.render(table)) order by id", limit: nil)
        #expect(back.rows == [
            [.integer(1), .real(12.5), .text("plain"), .bool(true), .text("2025-01-02"), .text("2025-01-02 03:04:05+00")],
            [.integer(2), .real(-0.25), .text(awkward), .bool(false), .text("2024-02-29"), .text("2024-02-29 23:59:59.5+00")],
            [.integer(3), .null, .null, .null, .null, .null],
            [.integer(1 << 40), .real(1e-7), .text(""), .bool(true), .text("1999-12-31"), .text("2000-01-01 00:00:00+00")],
        ])
        #expect(try adapter.columns(of: table) == columns)
    }

    /// Names BigQuery allows (mixed case, dashes; odd column names) survive quoting.
    @Test func unusualNames() throws {
        let env = try BigQueryTestEnvironment.get()
        let dataset = BigQueryTestEnvironment.dataset("names")
        let adapter = try env.adapter(dataset: dataset)
        try adapter.createSchema(dataset)
        let name = "Daily-Orders"  // BigQuery also allows spaces and letters like ü; the emulator does not
        let q = adapter.quote
        _ = try adapter.replaceTable(Relation(schema: dataset, identifier: name),
                                     withSelect: "select 1 as \(q("Mixed Case")), 2 as \(q("select")), 'x' as \(q("ünï"))")
        let found = try adapter.getRelation(database: nil, schema: dataset, identifier: name)
        #expect(found == Relation(database: env.project, schema: dataset, identifier: name, kind: .table))
        #expect(try adapter.columns(of: Relation(schema: dataset, identifier: name)).map(\.name) == ["Mixed Case", "select", "ünï"])
        #expect(try adapter.scalar("select \(q("select")) from \(adapter.render(Relation(schema: dataset, identifier: name)))") == .integer(2))
        #expect(adapter.render(Relation(schema: "a`b", identifier: "c\\d")) == "`\(env.project)`.`a\\`b`.`c\\\\d`")
    }

    /// Views cannot be renamed in BigQuery: refused with a message, as dbt-bigquery does.
    @Test func renamingAViewIsRefused() throws {
        let env = try BigQueryTestEnvironment.get()
        let dataset = BigQueryTestEnvironment.dataset("ren")
        let adapter = try env.adapter(dataset: dataset)
        try adapter.createSchema(dataset)
        _ = try adapter.replaceView(Relation(schema: dataset, identifier: "v"), withSelect: "select 1 as id")
        let error = #expect(throws: WarehouseError.self) {
            try adapter.renameRelation(Relation(schema: dataset, identifier: "v"), to: Relation(schema: dataset, identifier: "w"))
        }
        #expect(error?.kind == .unsupported)
    }
}
