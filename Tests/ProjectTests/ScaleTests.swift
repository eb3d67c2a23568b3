import Foundation
import Testing
@testable import Project

/// Measures CPU seconds of this process (user + system) and wall time; on a busy shared machine
/// the CPU figure is the steadier one.
struct CPUClock {
    func now() -> Double {
        var u = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
        return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
    }
    /// "cpu/wall" seconds.
    func measure(_ body: () throws -> Void) rethrows -> String {
        let start = now()
        let wallStart = ContinuousClock.now
        try body()
        let wall = ContinuousClock.now - wallStart
        let w = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
        return String(format: "%.3fs cpu/%.3fs wall", now() - start, w)
    }
}

/// Load + build + resolve + graph for a generated 10,000-model project. Timing is printed, not
/// asserted (the machine is shared); the test checks the shape so a quadratic path shows up as a
/// slow test rather than a wrong answer. Run with OPSFLOW_SCALE=1 (release: `swift build -c release`).
@Suite struct ScaleTests {
    static func generate(models: Int) throws -> String {
        var files: [String: String] = ["dbt_project.yml": "name: big\nprofile: big\nmodels:\n  big:\n    +materialized: view\n"]
        var yaml = "version: 2\nmodels:\n"
        for i in 0..<models {
            let folder = "layer\(i % 10)"
            let ref = i >= 10 ? "{{ ref('m\(i - 10)') }}" : "{{ source('raw', 't\(i)') }}"
            files["models/\(folder)/m\(i).sql"] = "select id, value from \(ref)\nwhere id > \(i)\n"
            yaml += "  - name: m\(i)\n    columns:\n      - name: id\n        data_tests: [unique, not_null]\n      - name: value\n        data_tests:\n          - accepted_values:\n              arguments:\n                values: [1, 2, 3]\n"
        }
        files["models/schema.yml"] = yaml
        var src = "version: 2\nsources:\n  - name: raw\n    tables:\n"
        for i in 0..<10 { src += "      - name: t\(i)\n" }
        files["models/sources.yml"] = src
        return try Fixtures.makeProject(files)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["OPSFLOW_SCALE"] != nil))
    func tenThousandModels() throws {
        let count = Int(ProcessInfo.processInfo.environment["OPSFLOW_SCALE"] ?? "") ?? 10_000
        let dir = try Self.generate(models: count)
        let clock = CPUClock()
        var m = Manifest(projectName: "")
        var loaded: LoadedProject?
        let tLoad = try clock.measure { loaded = try ProjectLoader.load(projectDir: dir) }
        let tBuild = try clock.measure { m = try ManifestBuilder.build(try #require(loaded)) }
        let tParse = try clock.measure {
            for id in m.nodeIDs {
                guard let n = m.nodes[id], !n.isGenericTest else { continue }
                var refs: [RefArgs] = [], sources: [[String]] = []
                CallScanner.scan(n.rawCode, refs: &refs, sources: &sources)
                try m.setParseResult(id, refs: refs, sources: sources)
            }
        }
        let tResolve = try clock.measure { try m.resolve() }
        var graph: Graph?
        let tGraph = try clock.measure { graph = try Graph(m) }
        let selector = try Selector(manifest: m, graph: try #require(graph))
        var result: SelectionResult?
        let tSelect = try clock.measure { result = try selector.select(select: ["+m\(count - 1)", "tag:none"]) }
        var bytes = 0
        let tWrite = try clock.measure { if ProcessInfo.processInfo.environment["OPSFLOW_SCALE_NOJSON"] == nil { bytes = try ManifestWriter.data(m).count } }
        print("\(count) models: load \(tLoad), build \(tBuild), setParseResult \(tParse), resolve \(tResolve), graph \(tGraph), select \(tSelect), manifest.json \(tWrite) (\(bytes) bytes)")
        #expect(m.nodes.count == 4 * count)
        #expect(result?.selectedNodes.count == 4 * ((count - 1) / 10 + 1))
    }
}
