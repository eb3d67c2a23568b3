import Foundation
import Testing
@testable import Project

/// The manifest built for the jaffle_shop fixture must match what `dbt parse` (dbt-core 1.12.0)
/// wrote for the same project (`Fixtures/jaffle_shop.golden.json`, made by `make_golden.py`).
@Suite struct ManifestBuilderTests {
    static let compared = ["primary_key", "unique_id", "resource_type", "name", "package_name", "path", "original_file_path", "fqn",
                           "alias", "checksum", "tags", "refs", "sources", "raw_code", "description", "patch_path",
                           "test_metadata", "column_name", "attached_node", "file_key_name", "config", "meta", "doc_blocks"]

    @Test func nodeIDsMatchDbt() throws {
        let golden = try Fixtures.golden("jaffle_shop")
        let m = try FakeCompile.jaffle()
        let expected = Set(golden["nodes"]?.asDict?.keys ?? [])
        #expect(expected.count == 31)
        #expect(Set(m.nodes.keys) == expected)
        #expect(Set(m.disabled.keys) == Set(golden["disabled"]?.asStringList ?? ["?"]))
    }

    @Test func everyNodeFieldMatchesDbt() throws {
        let golden = try Fixtures.golden("jaffle_shop")
        let m = try FakeCompile.jaffle()
        for (id, g) in golden["nodes"]?.asDict ?? [:] {
            guard let n = m.nodes[id] else { Issue.record("missing \(id)"); continue }
            let mine = ManifestWriter.nodeJSON(n, meta: ManifestMetadata(), created: 0)
            for key in Self.compared where g[key] != nil {
                if case .dict(let gd)? = g[key], case .dict(let md)? = mine[key] {
                    // Compare dicts key by key so a failure names the key.
                    #expect(Set(md.keys) == Set(gd.keys), "\(id).\(key) keys")
                    for (k, v) in gd {
                        #expect(md[k] == v, "\(id).\(key).\(k): ours \(md[k]?.pythonRepr ?? "nil") vs dbt \(v.pythonRepr)")
                    }
                } else {
                    #expect(mine[key] == g[key], "\(id).\(key): ours \(mine[key]?.pythonRepr ?? "nil") vs dbt \(g[key]?.pythonRepr ?? "nil")")
                }
            }
            let deps = g["depends_on"]
            #expect(mine["depends_on"]?["nodes"] == deps?["nodes"], "\(id).depends_on.nodes")
            if n.isGenericTest {
                #expect(mine["depends_on"]?["macros"] == deps?["macros"], "\(id).depends_on.macros")
            }
        }
    }

    @Test func sourcesMatchDbt() throws {
        let golden = try Fixtures.golden("jaffle_shop")
        let m = try FakeCompile.jaffle()
        let gs = golden["sources"]?.asDict ?? [:]
        #expect(Set(m.sources.keys) == Set(gs.keys))
        for (id, g) in gs {
            guard let s = m.sources[id] else { continue }
            let mine = ManifestWriter.sourceJSON(s, meta: ManifestMetadata(), created: 0)
            for (key, value) in g.asDict ?? [:] where key != "database" || s.database != nil {
                #expect(mine[key] == value, "\(id).\(key): ours \(mine[key]?.pythonRepr ?? "nil") vs dbt \(value.pythonRepr)")
            }
        }
    }

    @Test func parentAndChildMapsMatchDbt() throws {
        let golden = try Fixtures.golden("jaffle_shop")
        let m = try FakeCompile.jaffle()
        let gp = golden["parent_map"]?.asDict ?? [:]
        let gc = golden["child_map"]?.asDict ?? [:]
        for (id, parents) in gp where !id.hasPrefix("operation.") || m.nodes[id] != nil {
            #expect(m.parentMap[id].map { ConfigValue.array($0.map(ConfigValue.string)) } == parents, "parent_map[\(id)]")
        }
        for (id, children) in gc {
            #expect(m.childMap[id].map { ConfigValue.array($0.map(ConfigValue.string)) } == children, "child_map[\(id)]")
        }
    }

    @Test func docsAndMacrosMatchDbt() throws {
        let golden = try Fixtures.golden("jaffle_shop")
        let m = try FakeCompile.jaffle()
        #expect(Set(m.macros.keys) == Set(golden["macros"]?.asStringList ?? []))
        let doc = golden["docs"]?["doc.jaffle_shop.customers_doc"]
        #expect(m.docs["doc.jaffle_shop.customers_doc"]?.blockContents == doc?["block_contents"]?.asString)
        #expect(m.docs["doc.jaffle_shop.customers_doc"]?.path == doc?["path"]?.asString)
    }
}
