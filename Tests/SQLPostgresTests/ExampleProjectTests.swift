import Foundation
import SQL
import Testing

/// The OpsFlow Analytics example (BigQuery SQL) on PostgreSQL 15: every model, as
/// `opsflow compile` wrote it (`Fixtures/ExampleProject/compiled`), is translated with a catalog
/// read from the server and built in dependency order (staging and marts as tables, intermediate
/// models as views) over a small sample of `opsflow demo` data (90 days × 20 orders, seed 42).
/// The marts must equal what the same models gave on the SQLite warehouse for the same data
/// (`sqlite_marts/*.csv`, written by `opsflow demo`): two independent translations of the same
/// BigQuery SQL that agree row for row.
@Suite("OpsFlow Analytics example on PostgreSQL 15", .serialized)
struct ExampleProjectTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/ExampleProject")

    /// Models in dependency order, with their schema and materialization.
    static let models: [(name: String, schema: String, view: Bool)] = [
        ("stg_orders", "dev_staging", false), ("stg_arrival_scans", "dev_staging", false),
        ("int_orders_daily", "dev_intermediate", true), ("int_natural_growth", "dev_intermediate", true),
        ("int_operational_ratios", "dev_intermediate", true), ("int_cdc_ratios", "dev_intermediate", true),
        ("int_pickup_shift_split", "dev_intermediate", true),
        ("mart_natural_growth_daily", "dev_marts", false), ("mart_operational_ratios", "dev_marts", false),
        ("mart_cdc_ratios", "dev_marts", false), ("mart_volume_forecast", "dev_marts", false),
    ]

    /// The columns of every relation in the example's schemas, read from the server.
    static func catalog() throws -> SQLCatalog {
        let rows = try PostgresServer.run("""
            SELECT table_schema || '.' || table_name, column_name, data_type, udt_name FROM information_schema.columns
            WHERE table_schema IN ('raw', 'dev_staging', 'dev_intermediate', 'dev_marts') ORDER BY table_schema, table_name, ordinal_position
            """).get()
        var columns: [String: [SQLColumn]] = [:]
        for row in rows where row.count == 4 {
            columns[row[0] ?? "", default: []].append(SQLColumn(name: row[1] ?? "", type: SQLType(postgres: row[2] ?? "", udtName: row[3])))
        }
        let known = columns
        return SQLCatalog(columns: { known[$0] })
    }

    static let raw = """
        DROP SCHEMA IF EXISTS raw CASCADE; DROP SCHEMA IF EXISTS dev_staging CASCADE;
        DROP SCHEMA IF EXISTS dev_intermediate CASCADE; DROP SCHEMA IF EXISTS dev_marts CASCADE;
        CREATE SCHEMA raw; CREATE SCHEMA dev_staging; CREATE SCHEMA dev_intermediate; CREATE SCHEMA dev_marts;
        CREATE TABLE raw.im_global_collect_rate ("waybillNo" text, "createDate" timestamptz, "pickupTime" timestamptz, "clientName" text, "businessType" text);
        CREATE TABLE raw.im_arrival_scan ("waybillNo" text, "scanDate" timestamptz, "scanStation" text, "clientName" text)
        """

    @Test("every model translates, builds on PostgreSQL and gives the SQLite warehouse's marts")
    func build() throws {
        guard case .success = PostgresServer.connection else {
            Issue.record("no PostgreSQL server: \(PostgresServer.connection)")
            return
        }
        try PostgresServer.run(Self.raw).get()
        for table in ["raw.im_global_collect_rate", "raw.im_arrival_scan"] {
            let path = Self.fixtures.appendingPathComponent("\(table).csv").path
            try PostgresServer.run("\\copy \(table) FROM '\(path)' WITH (FORMAT csv, HEADER true)").get()
        }
        for model in Self.models {
            let source = try String(contentsOf: Self.fixtures.appendingPathComponent("compiled/\(model.name).sql"), encoding: .utf8)
            let translation = try SQLTranslator.translate(source, from: .bigQuery, to: .postgres, catalog: try Self.catalog())
            #expect(translation.isQuery)
            #expect(!translation.columns.contains { $0.type == nil }, "\(model.name): untyped columns \(translation.columns)")
            let relation = "\"\(model.schema)\".\"\(model.name)\""
            let create = "CREATE \(model.view ? "VIEW" : "TABLE") \(relation) AS\n\(translation.sql)"
            if case .failure(let error) = PostgresServer.run(create) {
                Issue.record("\(model.name) failed on PostgreSQL: \(error.message)\n\(translation.sql)")
                return
            }
            // The relation's PostgreSQL column types hold the BigQuery types the translator reported.
            let built = try Self.catalog().columns("\(model.schema).\(model.name)") ?? []
            #expect(built == translation.columns, "\(model.name): built \(built), translated \(translation.columns)")
        }
        for mart in Self.models where mart.schema == "dev_marts" {
            try compare(mart.name)
        }
        try dataTests()
        try withoutCatalog()
    }

    /// Without a catalog (no column types), every model either translates to SQL PostgreSQL
    /// accepts (EXPLAIN) or is refused with an `unsupported` error naming the construct.
    func withoutCatalog() throws {
        var translated = 0
        var refusals: [String] = []
        for model in Self.models {
            let source = try String(contentsOf: Self.fixtures.appendingPathComponent("compiled/\(model.name).sql"), encoding: .utf8)
            do {
                let translation = try SQLTranslator.translate(source, from: .bigQuery, to: .postgres)
                if case .failure(let error) = PostgresServer.run("EXPLAIN \(translation.sql)") {
                    Issue.record("\(model.name) without a catalog does not parse on PostgreSQL: \(error.message)")
                }
                translated += 1
            } catch let error as SQLError {
                #expect(error.kind == .unsupported, "\(model.name): \(error)")
                refusals.append("\(model.name): \(error.construct)")
            }
        }
        print("example without a catalog: \(translated) of \(Self.models.count) translate; refused: \(refusals.joined(separator: "; "))")
    }

    /// Every data test of the example (generic and singular, as compiled), translated and run:
    /// as many failing rows as on the SQLite warehouse (`sqlite_test_failures.csv`, from
    /// `opsflow demo`'s run_results.json: 61 pass, 2 warn).
    func dataTests() throws {
        let text = try String(contentsOf: Self.fixtures.appendingPathComponent("sqlite_test_failures.csv"), encoding: .utf8)
        let expected = Self.csvRows(text).dropFirst()
        #expect(expected.count == 63)
        let catalog = try Self.catalog()
        var agreeing = 0
        for row in expected where row.count == 3 {
            let source = try String(contentsOf: Self.fixtures.appendingPathComponent("compiled_tests/\(row[0]).sql"), encoding: .utf8)
            let translation = try SQLTranslator.translate(source, from: .bigQuery, to: .postgres, catalog: catalog)
            switch PostgresServer.run("SELECT count(*) FROM (\n\(translation.sql)\n) AS \"_failures\"") {
            case .failure(let error):
                Issue.record("data test \(row[0]) failed on PostgreSQL: \(error.message)")
            case .success(let rows):
                let failures = rows.first?.first ?? nil
                #expect(failures == row[1], "data test \(row[0]): \(failures ?? "NULL") failing rows on PostgreSQL, \(row[1]) on SQLite")
                if failures == row[1] { agreeing += 1 }
            }
        }
        print("example data tests: \(agreeing) of \(expected.count) with the SQLite warehouse's failing rows")
    }

    /// The mart's rows on PostgreSQL against the SQLite warehouse's, sorted, numbers to 1e-9.
    func compare(_ mart: String) throws {
        let expectedText = try String(contentsOf: Self.fixtures.appendingPathComponent("sqlite_marts/\(mart).csv"), encoding: .utf8)
        var expected = Self.csvRows(expectedText)
        let header = expected.removeFirst()
        let columns = header.map { "\"\($0)\"" }
        // DATE columns as text, numbers as PostgreSQL prints them; the sort is done here.
        let actualRows = try PostgresServer.run("SELECT \(columns.map { "(\($0))::text" }.joined(separator: ", ")) FROM dev_marts.\(mart)").get()
        let actual = actualRows.map { $0.map { $0 ?? "" } }.sorted { $0.lexicographicallyPrecedes($1) }
        expected.sort { $0.lexicographicallyPrecedes($1) }
        #expect(actual.count == expected.count, "\(mart): \(actual.count) rows on PostgreSQL, \(expected.count) on SQLite")
        var mismatches = 0
        for (a, e) in zip(actual, expected) where !Self.same(a, e) {
            mismatches += 1
            if mismatches <= 5 { Issue.record("\(mart) differs:\n  postgres: \(a)\n  sqlite:   \(e)") }
        }
        print("example \(mart): \(actual.count) rows, \(mismatches) differing from the SQLite warehouse")
    }

    static func same(_ a: [String], _ b: [String]) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where x != y {
            guard let dx = Double(x), let dy = Double(y), abs(dx - dy) <= 1e-9 * max(1, abs(dy)) else { return false }
        }
        return true
    }

    /// RFC 4180 rows (quoted fields, doubled quotes; an empty field is "").
    static func csvRows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(text)[...]
        while let c = characters.popFirst() {
            if quoted {
                if c == "\"" {
                    if characters.first == "\"" { field.append("\""); characters.removeFirst() } else { quoted = false }
                } else {
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"": quoted = true
            case ",": row.append(field); field = ""
            case "\n", "\r\n":
                row.append(field); field = ""
                rows.append(row); row = []
            case "\r": break
            default: field.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
