import Foundation
import Testing
@testable import Project

@Suite struct GraphTests {
    @Test func orderPutsParentsFirst() throws {
        let m = try FakeCompile.jaffle()
        let g = try Graph(m)
        #expect(g.order.count == m.nodes.count + m.sources.count)
        for id in g.order {
            for p in m.parentMap[id] ?? [] { #expect(g.position[p]! < g.position[id]!, "\(p) before \(id)") }
        }
    }

    @Test func parentsAndChildrenFollowTheManifestMaps() throws {
        let m = try FakeCompile.jaffle()
        let g = try Graph(m)
        // From dbt's parent_map: customers depends on stg_customers and stg_orders.
        #expect(Set(g.parents(of: "model.jaffle_shop.customers")) == ["model.jaffle_shop.stg_customers", "model.jaffle_shop.stg_orders"])
        #expect(g.ancestors(of: "model.jaffle_shop.customers") == ["model.jaffle_shop.stg_customers", "model.jaffle_shop.stg_orders",
                                                                     "seed.jaffle_shop.raw_customers", "seed.jaffle_shop.raw_orders"])
        #expect(g.descendants(of: "seed.jaffle_shop.raw_payments", depth: 1) == ["model.jaffle_shop.stg_payments"])
    }

    @Test func cycleIsAnErrorThatPrintsTheCycle() throws {
        let dir = try Fixtures.makeProject([
            "dbt_project.yml": "name: cyc\nprofile: cyc\n",
            "models/a.sql": "select * from {{ ref('b') }}",
            "models/b.sql": "select * from {{ ref('c') }}",
            "models/c.sql": "select * from {{ ref('a') }}",
            "models/d.sql": "select * from {{ ref('a') }}",
        ])
        var m = try ManifestBuilder.build(try ProjectLoader.load(projectDir: dir))
        try FakeCompile.parse(&m, calls: [:])
        do {
            _ = try Graph(m)
            Issue.record("expected a cycle error")
        } catch let e as ProjectError {
            #expect(e.kind == .dependencyCycle)
            // Each node is followed by one that refs it, and the cycle closes on its first node.
            let names = e.message.replacingOccurrences(of: "Found a cycle: ", with: "").components(separatedBy: " -> ")
            #expect(names.count == 4)
            #expect(names.first == names.last)
            #expect(Set(names) == ["model.cyc.a", "model.cyc.b", "model.cyc.c"])
            let next = ["model.cyc.a": "model.cyc.c", "model.cyc.c": "model.cyc.b", "model.cyc.b": "model.cyc.a"]
            for i in 0..<3 { #expect(next[names[i]] == names[i + 1]) }
        }
    }
}

@Suite struct RefIndexTests {
    @Test func findsRefsAndSourcesAsResolveDid() throws {
        let m = try FakeCompile.jaffle()
        let index = RefIndex(m)
        // dbt's depends_on for customers: stg_customers (from ref('stg_customers')).
        #expect(index.node(for: RefArgs(name: "stg_customers"), from: "jaffle_shop")?.uniqueID == "model.jaffle_shop.stg_customers")
        #expect(index.node(for: RefArgs(name: "raw_orders"), from: "jaffle_shop")?.resourceType == .seed)
        #expect(index.node(for: RefArgs(name: "disabled_model"), from: "jaffle_shop") == nil)
        // dbt: identifier im_global_collect_rate_v2, schema raw.
        let s = index.source("raw_source", "im_global_collect_rate")
        #expect(s?.identifier == "im_global_collect_rate_v2" && s?.schema == "raw")
    }
}
