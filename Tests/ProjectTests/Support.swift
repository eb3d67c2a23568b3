import Foundation
@testable import Project

/// Paths of the committed fixture projects and their dbt-produced golden files.
enum Fixtures {
    static let root: String = {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        return here.appendingPathComponent("Fixtures").path
    }()

    static func project(_ name: String) -> String { root + "/" + name }

    /// A golden JSON file (written by `Fixtures/make_golden.py` from real dbt-core output).
    static func golden(_ name: String) throws -> ConfigValue {
        let data = try Data(contentsOf: URL(fileURLWithPath: root + "/" + name + ".golden.json"))
        return ConfigValue(jsonObject: try JSONSerialization.jsonObject(with: data))
    }

    /// A fresh temporary folder.
    static func tempDir() -> String {
        let dir = NSTemporaryDirectory() + "opsflow-project-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Writes files (relative path → contents) under a fresh folder and returns it.
    static func makeProject(_ files: [String: String]) throws -> String {
        let dir = tempDir()
        for (path, text) in files {
            let full = dir + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        return dir
    }
}

/// Stands in for Compile in these tests: the `config()` calls of the fixture's files (what
/// rendering them records) and the refs/sources found in their text.
enum FakeCompile {
    static let jaffleConfigCalls: [String: [ConfigObject]] = [
        "model.jaffle_shop.stg_customers": [["alias": "customers_stg"]],
        "model.jaffle_shop.customers": [["tags": ["nightly"], "post_hook": "select 'customers post'"]],
        "model.jaffle_shop.orders": [["materialized": "incremental", "unique_key": ["order_id", "customer_id"],
                                      "on_schema_change": "append_new_columns"]],
        "model.jaffle_shop.disabled_model": [["enabled": false]],
        "snapshot.jaffle_shop.orders_snapshot": [["target_schema": "snapshots", "unique_key": "order_id",
                                                  "strategy": "check", "check_cols": "all"]],
    ]

    /// Applies config calls and parse results, then resolves.
    static func parse(_ m: inout Manifest, calls: [String: [ConfigObject]]) throws {
        for id in m.nodeIDs {
            guard let n = m.nodes[id], !n.isGenericTest else { continue }
            if let c = calls[id] { try m.applyConfigCalls(id, c) }
            var refs: [RefArgs] = []
            var sources: [[String]] = []
            CallScanner.scan(n.rawCode, refs: &refs, sources: &sources)
            try m.setParseResult(id, refs: refs, sources: sources)
        }
        try m.resolve()
    }

    static func jaffle() throws -> Manifest {
        let loaded = try ProjectLoader.load(projectDir: Fixtures.project("jaffle_shop"))
        var m = try ManifestBuilder.build(loaded)
        try parse(&m, calls: jaffleConfigCalls)
        return m
    }
}
