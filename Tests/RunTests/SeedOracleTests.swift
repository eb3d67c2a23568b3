import Foundation
import Testing
import Warehouse
@testable import Run

/// Seeds typed as dbt types them: the expected columns and cells come from
/// `SeedFixtures/expected.json`, written by `SeedFixtures/oracle.py` with dbt's own reader
/// (agate + dbt's type tester) and dbt-bigquery's type names — never by OpsFlow.
@Suite struct SeedOracleTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("SeedFixtures")

    /// dbt-bigquery's type names → OpsFlow's logical types (`datetime` → TIMESTAMP by design).
    static let logical = ["int64": "INT64", "float64": "FLOAT64", "bool": "BOOL", "date": "DATE",
                          "datetime": "TIMESTAMP", "string": "STRING"]

    /// Columns where OpsFlow differs from dbt on purpose: numbers with leading zeros stay text.
    static let leadingZeroColumns: [String: Set<String>] = ["types.csv": ["zero_code"], "codes.csv": ["zip"]]

    struct Case {
        var name: String
        var delimiter: Character
        var textColumns: [String]
        var columns: [(name: String, bigquery: String)]
        var raw: [[String]]
        var rows: [[Cell]]
    }

    static func loadCases() throws -> [Case] {
        let data = try Data(contentsOf: fixtures.appendingPathComponent("expected.json"))
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let cases = root["cases"] as? [String: Any] else { return [] }
        return try cases.keys.sorted().map { name in
            guard let body = cases[name] as? [String: Any],
                  let delimiter = (body["delimiter"] as? String)?.first,
                  let textColumns = body["text_columns"] as? [String],
                  let columns = body["columns"] as? [[String: String]],
                  let raw = body["raw"] as? [[String]],
                  let rows = body["rows"] as? [[Any]] else {
                throw CocoaError(.fileReadCorruptFile)
            }
            return Case(
                name: name, delimiter: delimiter, textColumns: textColumns,
                columns: columns.map { ($0["name"] ?? "", $0["bigquery"] ?? "") },
                raw: raw,
                rows: rows.map { $0.map(cell) })
        }
    }

    static func cell(_ json: Any) -> Cell {
        guard let object = json as? [String: Any] else { return .null }
        if let int = object["int"] as? String, let value = Int64(int) { return .integer(value) }
        if let real = object["real"] as? Double { return .real(real) }
        if let bool = object["bool"] as? Bool { return .bool(bool) }
        if let text = object["text"] as? String { return .text(text) }
        return .null
    }

    @Test func fixturesAreThere() throws {
        #expect(try Self.loadCases().count == 6)
    }

    @Test(arguments: ["codes.csv", "codes.csv#override", "header_only.csv", "quoted.csv", "semicolon.csv", "types.csv"])
    func inferredAsDbtInfers(caseName: String) throws {
        guard let oracle = try Self.loadCases().first(where: { $0.name == caseName }) else {
            Issue.record("no oracle output for \(caseName)")
            return
        }
        let file = String(caseName.split(separator: "#")[0])
        var overrides: [String: String] = [:]
        for column in oracle.textColumns { overrides[column] = "STRING" }
        let seed = try SeedReader.read(path: Self.fixtures.appendingPathComponent(file).path,
                                       delimiter: oracle.delimiter, columnTypes: overrides)
        let deviating = caseName.contains("#") ? [] : Self.leadingZeroColumns[file] ?? []

        #expect(seed.columns.map(\.name) == oracle.columns.map(\.name))
        for (index, expected) in oracle.columns.enumerated() where index < seed.columns.count {
            let want = deviating.contains(expected.name) ? "STRING" : Self.logical[expected.bigquery] ?? "?"
            #expect(seed.columns[index].dataType == want, "column \(expected.name)")
        }
        #expect(seed.rows.count == oracle.rows.count)
        for (rowIndex, expectedRow) in oracle.rows.enumerated() where rowIndex < seed.rows.count {
            for (index, column) in oracle.columns.enumerated() {
                var want = expectedRow[index]
                if deviating.contains(column.name) {
                    // Kept as written (the raw field, from Python's csv module), NULL when empty.
                    let raw = oracle.raw[rowIndex + 1][index]
                    want = SeedTypeInference.isNull(raw) ? .null : .text(raw)
                }
                #expect(seed.rows[rowIndex][index] == want, "row \(rowIndex + 1) column \(column.name)")
            }
        }
    }
}
