import Foundation
import Testing
import Warehouse
import WarehouseSQLite

/// One conformance case: BigQuery SQL and the result BigQuery returns for it according to
/// Google's documentation (each case file cites its pages).
///
/// `expected` is written as BigQuery shows results: `NULL`; integers in decimal; FLOAT64 with a
/// decimal point (`2.0`, `0.5`, `+inf`, `-inf`, `NaN`); `true`/`false`; DATE `2008-12-25`;
/// DATETIME `2008-12-25T15:30:00`; TIMESTAMP `2008-12-25 15:30:00+00`; arrays as JSON
/// (`[1,2]`, `["a","b"]`). A query's rows are joined by `;` and its columns by `|`.
/// `ERROR` means BigQuery raises an error.
struct ConformanceCase: Sendable, CustomStringConvertible {
    var category: String
    var sql: String
    var expected: String
    /// A whole query (else an expression, run as `SELECT <expression>`).
    var isQuery: Bool

    var description: String { "[\(category)] \(sql) → \(expected)" }
}

/// Builds a category's cases: `e(expression, expected)` and `q(query, expected)`.
struct CaseList {
    let category: String
    var cases: [ConformanceCase] = []

    init(_ category: String) { self.category = category }

    mutating func e(_ sql: String, _ expected: String) {
        cases.append(ConformanceCase(category: category, sql: sql, expected: expected, isQuery: false))
    }

    mutating func q(_ sql: String, _ expected: String) {
        cases.append(ConformanceCase(category: category, sql: sql, expected: expected, isQuery: true))
    }
}

enum Conformance {
    /// Every category, in report order.
    static var all: [[ConformanceCase]] {
        [operators(), conditional(), math(), casts(), strings(), regexAndFormat(), dates(), dateParts(),
         datetimes(), timestamps(), formatParse(), aggregates(), windows(), arraysAndJSON(), queries(), statements()]
    }

    /// The fixture tables the query cases read (BigQuery SQL, also run on the emulator).
    static let setupSQL = """
        CREATE TABLE dev.orders AS
        SELECT 1 AS id, 'Client_A' AS client, DATE '2025-01-06' AS day, 10 AS parcels, TIMESTAMP '2025-01-06 08:15:00' AS created
        UNION ALL SELECT 2, 'Client_B', DATE '2025-01-06', 5, TIMESTAMP '2025-01-06 09:00:00'
        UNION ALL SELECT 3, 'Client_A', DATE '2025-01-07', 7, TIMESTAMP '2025-01-07 23:59:59'
        UNION ALL SELECT 4, 'Client_C', DATE '2025-01-08', NULL, TIMESTAMP '2025-01-08 00:00:00'
        UNION ALL SELECT 5, 'Client_B', DATE '2025-01-08', 3, NULL;
        CREATE TABLE dev.clients AS
        SELECT 'Client_A' AS client, 'North' AS region UNION ALL SELECT 'Client_B', 'South' UNION ALL SELECT 'Client_D', 'East'
        """

    /// A warehouse in the BigQuery dialect with the fixture tables the query cases read.
    static let warehouse: SQLiteAdapter? = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("opsflow-bq-\(UUID().uuidString)")
        guard let adapter = try? SQLiteAdapter(path: folder.appendingPathComponent("w.db").path, schema: "dev", dialect: "bigquery") else { return nil }
        do {
            try adapter.execute(setupSQL)
        } catch {
            return nil
        }
        return adapter
    }()

    /// Cases where the embedded warehouse knowingly differs from BigQuery, with the reason. They
    /// are reported, not failed; each is listed in the report.
    static let deviations: [String: String] = [
        "IEEE_DIVIDE(0.0, 0.0)": "SQLite stores NaN as NULL",
        "IS_NAN(IEEE_DIVIDE(0.0, 0.0))": "SQLite stores NaN as NULL",
        "CAST('NaN' AS FLOAT64)": "SQLite stores NaN as NULL",
        "CAST(IEEE_DIVIDE(0.0, 0.0) AS INT64)": "SQLite stores NaN as NULL",
    ]

    /// The result of a case as BigQuery would show it, or `ERROR`.
    static func run(_ testCase: ConformanceCase) -> String {
        guard let warehouse else { return "NO WAREHOUSE" }
        let sql = testCase.isQuery ? testCase.sql : "SELECT \(testCase.sql) AS v"
        do {
            let result = try warehouse.query(sql, limit: nil)
            return result.rows.map { row in
                zip(row, result.columns).map { display($0, type: $1.dataType) }.joined(separator: "|")
            }.joined(separator: ";")
        } catch {
            return "ERROR"
        }
    }

    /// The message of the error a case raises (for reporting).
    static func error(_ testCase: ConformanceCase) -> String {
        guard let warehouse else { return "" }
        let sql = testCase.isQuery ? testCase.sql : "SELECT \(testCase.sql) AS v"
        do {
            _ = try warehouse.query(sql, limit: nil)
            return ""
        } catch let error as WarehouseError {
            return error.message + (error.sql.map { " in: \($0)" } ?? "")
        } catch {
            return String(reflecting: error)
        }
    }

    static func display(_ cell: Cell, type: String) -> String {
        switch cell {
        case .null: return "NULL"
        case .integer(let i): return type == "FLOAT64" ? display(.real(Double(i)), type: type) : String(i)
        case .real(let d):
            if d.isNaN { return "NaN" }
            if d.isInfinite { return d < 0 ? "-inf" : "+inf" }
            if d == d.rounded() && abs(d) < 1e15 { return String(format: "%.1f", d) }
            return "\(d)"
        case .bool(let b): return b ? "true" : "false"
        case .text(let s):
            switch type {
            case "TIMESTAMP": return s + "+00"
            case "DATETIME": return s.replacingOccurrences(of: " ", with: "T")
            default: return s
            }
        case .blob(let bytes): return Data(bytes).base64EncodedString()
        }
    }
}

@Suite("BigQuery conformance (documented results, run on SQLite)")
struct BigQueryConformanceTests {
    static let categories: [[ConformanceCase]] = Conformance.all

    @Test("conformance by category", arguments: 0..<16)
    func category(_ index: Int) {
        let cases = Self.categories[index]
        guard let name = cases.first?.category else { return }
        var passed = 0
        var deviating = 0
        for testCase in cases {
            let actual = Conformance.run(testCase)
            if actual == testCase.expected {
                passed += 1
            } else if Conformance.deviations[testCase.sql] != nil {
                deviating += 1
            } else {
                let detail = actual == "ERROR" ? " (\(Conformance.error(testCase)))" : ""
                Issue.record("\(testCase.sql)\n  expected: \(testCase.expected)\n  actual:   \(actual)\(detail)")
            }
        }
        print("conformance \(name): \(passed)/\(cases.count) passed" + (deviating > 0 ? ", \(deviating) known deviations" : ""))
    }

    @Test("at least 600 cases")
    func count() {
        let total = Self.categories.reduce(0) { $0 + $1.count }
        print("conformance total: \(total) cases in \(Self.categories.count) categories")
        #expect(total >= 600)
    }

    /// Writes every case as JSON for `scripts/bq_emulator_check.py` when
    /// `OPSFLOW_EXPORT_CASES` names a file.
    @Test("export cases for the emulator check")
    func export() throws {
        guard let path = ProcessInfo.processInfo.environment["OPSFLOW_EXPORT_CASES"] else { return }
        let rows = Self.categories.joined().map {
            ["category": $0.category, "sql": $0.sql, "expected": $0.expected, "query": $0.isQuery ? "1" : "0", "opsflow": $0.category == "DDL and DML" ? $0.expected : Conformance.run($0)]
        }
        let document: [String: Any] = ["setup": Conformance.setupSQL, "cases": rows]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: path))
    }
}
