import Foundation
import SQL

/// One conformance case: BigQuery SQL and the result BigQuery returns for it according to
/// Google's documentation. The cases themselves are WarehouseSQLiteTests' files, linked into this
/// target (`Cases/`), so both warehouses answer to the same oracle; the formats are described in
/// `Tests/WarehouseSQLiteTests/BigQueryConformanceTests.swift`.
struct ConformanceCase: Sendable, CustomStringConvertible {
    var category: String
    var sql: String
    var expected: String
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

/// What running a case on PostgreSQL gave, compared with BigQuery's documented result.
enum Outcome: String, CaseIterable, Sendable {
    /// The documented result (a value, or an error where BigQuery raises one).
    case passed
    /// The translator refused the SQL with an `unsupported` SQLError.
    case refused
    /// A different value, or a value where BigQuery raises an error: a wrong answer.
    case wrong
    /// PostgreSQL (or the translator) raised an error where BigQuery returns a value.
    case errorInsteadOfValue
}

enum Conformance {
    /// Every category, in report order (as in WarehouseSQLiteTests), then this target's own
    /// cases over typed columns.
    static var all: [[ConformanceCase]] {
        [operators(), conditional(), math(), casts(), strings(), regexAndFormat(), dates(), dateParts(),
         datetimes(), timestamps(), formatParse(), aggregates(), windows(), arraysAndJSON(), queries(), statements(),
         columnSemantics(), numericCases()]
    }

    /// The fixture tables the query cases read (BigQuery SQL, translated like the cases).
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

    /// The fixture tables' columns, as a warehouse would report them.
    static let catalog = SQLCatalog(columns: { name in
        switch name.lowercased() {
        case "dev.orders":
            return [SQLColumn(name: "id", type: .int64), SQLColumn(name: "client", type: .string), SQLColumn(name: "day", type: .date),
                    SQLColumn(name: "parcels", type: .int64), SQLColumn(name: "created", type: .timestamp)]
        case "dev.clients":
            return [SQLColumn(name: "client", type: .string), SQLColumn(name: "region", type: .string)]
        default:
            return nil
        }
    })

    /// Creates the schema and fixture tables once (nil on success, else why not).
    static let setUp: String? = {
        do {
            let translation = try SQLTranslator.translate(setupSQL, from: .bigQuery, to: .postgres)
            let sql = "DROP SCHEMA IF EXISTS dev CASCADE; CREATE SCHEMA dev;\n" + translation.statements.joined(separator: ";\n")
            if case .failure(let error) = PostgresServer.run(sql) { return error.message }
            return nil
        } catch {
            return "\(error)"
        }
    }()

    struct Result: Sendable {
        var outcome: Outcome
        var actual: String
        var sql: String
        var detail: String
    }

    /// Translates and runs one case, and classifies the result.
    static func run(_ testCase: ConformanceCase) -> Result {
        let text = testCase.isQuery ? testCase.sql : "SELECT \(testCase.sql) AS v"
        let translation: Translation
        do {
            translation = try SQLTranslator.translate(text, from: .bigQuery, to: .postgres, catalog: catalog)
        } catch let error as SQLError {
            if error.kind == .unsupported { return Result(outcome: .refused, actual: "REFUSED", sql: "", detail: error.description) }
            let outcome: Outcome = testCase.expected == "ERROR" ? .passed : .errorInsteadOfValue
            return Result(outcome: outcome, actual: "ERROR", sql: "", detail: error.description)
        } catch {
            return Result(outcome: .errorInsteadOfValue, actual: "ERROR", sql: "", detail: "\(error)")
        }
        var statements = translation.statements
        if !translation.columns.isEmpty, let last = statements.popLast() {
            // Read every column as text; arrays as JSON, as the expected values show them.
            let names = translation.columns.indices.map { "\"c\($0)\"" }
            let list = zip(names, translation.columns).map { name, column -> String in
                if case .array = column.type { return "to_json(\(name))::text" }
                return name
            }
            statements.append("SELECT \(list.joined(separator: ", ")) FROM (\n\(last)\n) AS \"_r\"(\(names.joined(separator: ", ")))")
        }
        let sql = statements.joined(separator: ";\n")
        switch PostgresServer.run(sql) {
        case .failure(let error):
            let outcome: Outcome = testCase.expected == "ERROR" ? .passed : .errorInsteadOfValue
            return Result(outcome: outcome, actual: "ERROR", sql: sql, detail: error.message)
        case .success(let rows):
            let actual = rows.map { row in
                row.enumerated().map { index, field in
                    display(field, type: index < translation.columns.count ? translation.columns[index].type : nil)
                }.joined(separator: "|")
            }.joined(separator: ";")
            return Result(outcome: actual == testCase.expected ? .passed : .wrong, actual: actual, sql: sql, detail: "")
        }
    }

    /// A PostgreSQL text value shown as BigQuery shows a value of `type`.
    static func display(_ field: String?, type: SQLType?) -> String {
        guard let field else { return "NULL" }
        switch type {
        case .float64:
            guard let d = Double(field) else { return field }
            if d.isNaN { return "NaN" }
            if d.isInfinite { return d < 0 ? "-inf" : "+inf" }
            if d == d.rounded() && abs(d) < 1e15 { return String(format: "%.1f", d) }
            return "\(d)"
        case .numeric, .bignumeric:
            guard field.contains("."), !field.contains("e") else { return field }
            var trimmed = Substring(field)
            while trimmed.hasSuffix("0") { trimmed = trimmed.dropLast() }
            if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
            return String(trimmed)
        case .bool:
            return field == "t" ? "true" : field == "f" ? "false" : field
        case .timestamp:
            guard field.hasSuffix("+00") else { return field }
            return sixDigitFraction(String(field.dropLast(3))) + "+00"
        case .datetime:
            return sixDigitFraction(field).replacingOccurrences(of: " ", with: "T")
        case .time:
            return sixDigitFraction(field)
        case .structure, .array:
            return compactJSON(field)
        case .bytes:
            guard field.hasPrefix("\\x") else { return field }
            let hex = Array(field.utf8.dropFirst(2))
            var bytes: [UInt8] = []
            var index = 0
            while index + 1 < hex.count {
                bytes.append(UInt8(String(decoding: hex[index...index + 1], as: UTF8.self), radix: 16) ?? 0)
                index += 2
            }
            return Data(bytes).base64EncodedString()
        default:
            return field
        }
    }

    /// JSON text without the blanks PostgreSQL writes between tokens (BigQuery shows none).
    static func compactJSON(_ text: String) -> String {
        var out = ""
        var inString = false
        var escaped = false
        for c in text {
            if inString {
                out.append(c)
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
            } else if c == "\"" {
                inString = true
                out.append(c)
            } else if c != " " {
                out.append(c)
            }
        }
        return out
    }

    /// `…:SS.f` → `…:SS.f00000` (BigQuery shows a fraction with six digits).
    static func sixDigitFraction(_ text: String) -> String {
        guard let dot = text.lastIndex(of: "."), !text[text.index(after: dot)...].contains(":") else { return text }
        let digits = text[text.index(after: dot)...]
        return String(text[...dot]) + digits + String(repeating: "0", count: max(0, 6 - digits.count))
    }
}
