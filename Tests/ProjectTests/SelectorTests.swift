import Foundation
import Testing
@testable import Project

/// Selections on the jaffle_shop fixture must equal what `dbt ls --resource-type all` printed
/// for the same arguments (`selection` in `Fixtures/jaffle_shop.golden.json`).
@Suite struct SelectorTests {
    static let cases: [String] = {
        (try? Fixtures.golden("jaffle_shop"))?["selection"]?.asDict?.keys.sorted() ?? []
    }()

    @Test func goldenHasCases() { #expect(Self.cases.count >= 30) }

    @Test(arguments: cases) func matchesDbtLs(_ args: String) throws {
        let golden = try Fixtures.golden("jaffle_shop")
        let expected = Set(golden["selection"]?[args]?.asStringList ?? [])
        let m = try FakeCompile.jaffle()
        let selector = try Selector(manifest: m, graph: try Graph(m))
        // "-s a b --exclude c" → select/exclude/selector lists.
        var select: [String] = [], exclude: [String] = [], named: String?
        var current: String?
        for word in args.split(separator: " ").map(String.init) {
            if word.hasPrefix("-") { current = word; continue }
            switch current {
            case "-s": select.append(word)
            case "--exclude": exclude.append(word)
            case "--selector": named = word
            default: break
            }
        }
        let result = try selector.select(select: select, exclude: exclude, selector: named)
        let ours = Set(result.selected.filter { !$0.hasPrefix("operation.") })
        #expect(ours == expected, "extra: \(ours.subtracting(expected).sorted()), missing: \(expected.subtracting(ours).sorted())")
    }

    @Test func resultIsInGraphOrder() throws {
        let m = try FakeCompile.jaffle()
        let graph = try Graph(m)
        let result = try Selector(manifest: m, graph: graph).select(select: ["+customers"])
        let positions = result.selected.compactMap { graph.position[$0] }
        #expect(positions == positions.sorted())
        #expect(result.selected.firstIndex(of: "seed.jaffle_shop.raw_orders")! < result.selected.firstIndex(of: "model.jaffle_shop.customers")!)
        #expect(result.selectedNodes.allSatisfy { !$0.hasPrefix("source.") })
    }

    @Test func resourceTypeScopeKeepsModelsOnly() throws {
        let m = try FakeCompile.jaffle()
        let result = try Selector(manifest: m, graph: try Graph(m)).select(select: ["+customers"], resourceTypes: [.model])
        #expect(result.selected == ["model.jaffle_shop.stg_customers", "model.jaffle_shop.stg_orders", "model.jaffle_shop.customers"])
    }

    @Test func parsesGraphOperators() throws {
        let c = try SelectionCriterion.parse("2+config.materialized:table+3")
        #expect(c.method == .config && c.methodArguments == ["materialized"] && c.value == "table")
        #expect(c.parents && c.parentsDepth == 2 && c.children && c.childrenDepth == 3)
        let at = try SelectionCriterion.parse("@models/staging")
        #expect(at.childrensParents && at.method == .path && at.value == "models/staging")
    }

    @Test func unknownMethodIsAClearError() throws {
        #expect(throws: ProjectError.self) { try SelectionCriterion.parse("colour:red") }
        do { _ = try SelectionCriterion.parse("colour:red") } catch let e as ProjectError {
            #expect(e.kind == .invalidSelector)
            #expect(e.message.contains("colour"))
        }
    }

    @Test func unknownYamlSelectorIsAnError() throws {
        let m = try FakeCompile.jaffle()
        let s = try Selector(manifest: m, graph: try Graph(m))
        do {
            _ = try s.select(selector: "nope")
            Issue.record("expected an error")
        } catch let e as ProjectError {
            #expect(e.kind == .selectorNotFound)
            #expect(e.hint?.contains("nightly_marts") == true)
        }
    }

    @Test func globMatchesLikeFnmatch() {
        #expect(Glob.match("stg_*", "stg_orders"))
        #expect(Glob.match("stg_?rders", "stg_orders"))
        #expect(Glob.match("[a-c]at", "bat"))
        #expect(!Glob.match("[!a-c]at", "bat"))
        #expect(!Glob.match("stg_*", "int_orders"))
    }
}
