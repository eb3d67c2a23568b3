import Demo
import Foundation
import Testing

/// The generator writes what the example project declares: the columns and logical types of
/// `raw_source` in `examples/opsflow_analytics/models/sources.yml` (the oracle here is that file).
@Suite struct DemoSourceContractTests {
    static let sourcesFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/opsflow_analytics/models/sources.yml")

    /// `name:data_type` of each column declared for `table`, in file order (a line-based read of the
    /// two-level YAML list, enough for this file's regular layout).
    static func declaredColumns(of table: String) throws -> [String] {
        let lines = try String(contentsOf: sourcesFile, encoding: .utf8).components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "- name: \(table)" }) else {
            Issue.record("table \(table) not declared")
            return []
        }
        let tableIndent = lines[start].prefix { $0 == " " }.count
        var columns: [String] = []
        var pending: String?
        for line in lines[(start + 1)...] {
            let indent = line.prefix { $0 == " " }.count
            let text = line.trimmingCharacters(in: .whitespaces)
            if indent <= tableIndent && text.hasPrefix("- ") { break }
            if text.hasPrefix("- name: ") { pending = String(text.dropFirst(8)) }
            if text.hasPrefix("data_type: "), let name = pending {
                columns.append("\(name):\(text.dropFirst(11))")
                pending = nil
            }
        }
        return columns
    }

    @Test func orderColumnsMatchTheDeclaredSource() throws {
        let declared = try Self.declaredColumns(of: "im_global_collect_rate")
        #expect(declared == OrderRow.orderColumns.map { "\($0.name):\($0.type)" })
        #expect(declared.count == 5)
    }

    @Test func scanColumnsMatchTheDeclaredSource() throws {
        let declared = try Self.declaredColumns(of: "im_arrival_scan")
        #expect(declared == ScanRow.scanColumns.map { "\($0.name):\($0.type)" })
        #expect(declared.count == 4)
    }
}
