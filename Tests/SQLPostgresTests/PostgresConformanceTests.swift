import Foundation
import SQL
import Testing

/// The BigQuery conformance cases (documented input → result) translated to PostgreSQL and run
/// on a real PostgreSQL 15 server. A case passes with BigQuery's value (or an error where BigQuery
/// raises one); a refusal (`unsupported` SQLError) is counted, not failed; a wrong value fails.
/// `OPSFLOW_CONFORMANCE_REPORT` names a file to write every non-passing case to.
@Suite("BigQuery conformance on PostgreSQL 15", .serialized)
struct PostgresConformanceTests {
    static let categories: [[ConformanceCase]] = Conformance.all

    /// Cases where the PostgreSQL answer knowingly differs, with the reason; reported, not failed.
    static let deviations: [String: String] = [
        // BigQuery does not define the order of an aggregate's values without ORDER BY (nor of
        // ties): the documentation shows input order, PostgreSQL gives another valid order.
        "SELECT STRING_AGG(DISTINCT fruit, ' & ') FROM UNNEST(['apple', 'pear', 'banana', 'pear']) AS fruit": "order of an unordered aggregate",
        "SELECT ARRAY_AGG(DISTINCT x) FROM UNNEST([2, 1, -2, 3, -2, 1, 2]) AS x": "order of an unordered aggregate",
        "SELECT ARRAY_AGG(x ORDER BY ABS(x)) FROM UNNEST([2, 1, -2, 3, -2, 1, 2]) AS x": "order of ties in ORDER BY",
    ]

    @Test("conformance by category", arguments: 0..<18)
    func category(_ index: Int) throws {
        if let problem = Conformance.setUp { Issue.record("no PostgreSQL fixture: \(problem)"); return }
        let cases = Self.categories[index]
        guard let name = cases.first?.category else { return }
        var counts: [Outcome: Int] = [:]
        var report = ""
        for testCase in cases {
            let result = Conformance.run(testCase)
            counts[result.outcome, default: 0] += 1
            if result.outcome != .passed {
                report += "[\(result.outcome.rawValue)] \(testCase.sql)\n  expected: \(testCase.expected)\n  actual:   \(result.actual)\n"
                if !result.detail.isEmpty { report += "  detail:   \(result.detail.replacingOccurrences(of: "\n", with: " "))\n" }
            }
            if result.outcome == .wrong, let reason = Self.deviations[testCase.sql] {
                report += "  known deviation: \(reason)\n"
            } else if result.outcome == .wrong {
                Issue.record("wrong answer: \(testCase.sql)\n  expected: \(testCase.expected)\n  actual:   \(result.actual)\n  sql: \(result.sql)")
            }
        }
        let summary = Outcome.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: ", ")
        print("pg conformance \(name): \(cases.count) cases: \(summary)")
        if let path = ProcessInfo.processInfo.environment["OPSFLOW_CONFORMANCE_REPORT"] {
            let text = "## \(name): \(summary)\n" + report
            let handle = FileHandle(forWritingAtPath: path) ?? {
                FileManager.default.createFile(atPath: path, contents: nil)
                return FileHandle(forWritingAtPath: path)
            }()
            handle?.seekToEndOfFile()
            handle?.write(Data(text.utf8))
            try? handle?.close()
        }
    }
}
