import Foundation
import Testing
import Warehouse
import WarehousePostgres

/// `opsflow build --target opsflow` of a generated project (bench/gen_pg_project.py: 10 seeds,
/// 30 models, 60 tests) against the test cluster, run twice (the second run replaces every
/// relation). Needs the built `opsflow` binary (`swift build --build-tests` builds it) and python3.
@Suite struct PostgresEndToEndTests {
    @Test func generatedProjectBuildsTwiceOnPostgres() throws {
        let root = TestCluster.repositoryRoot
        let binary = root.appendingPathComponent(".build/debug/opsflow").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            Issue.record("no built opsflow at \(binary): run `swift build` first")
            return
        }
        let port = try TestCluster.port.get()
        let database = "e2e_" + UUID().uuidString.prefix(8).lowercased()
        let admin = try TestCluster.adapter()
        defer { admin.close() }
        try admin.execute("create database \(database)")
        let project = FileManager.default.temporaryDirectory.appendingPathComponent("opsflow-pg-e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: project) }
        let generator = root.appendingPathComponent("bench/gen_pg_project.py").path
        #expect(system("python3 '\(generator)' 30 '\(project.path)' \(port) >/dev/null 2>&1") == 0)
        let profiles = project.appendingPathComponent("profiles.yml")
        let profileText = try String(contentsOf: profiles, encoding: .utf8)
        try profileText.replacingOccurrences(of: "dbname: race", with: "dbname: \(database)")
            .write(to: profiles, atomically: true, encoding: .utf8)

        for run in 1...2 {
            let log = project.appendingPathComponent("build-\(run).log").path
            let status = system("cd '\(project.path)' && '\(binary)' build --profiles-dir . --target opsflow > '\(log)' 2>&1")
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            #expect(status == 0, "build \(run) failed:\n\(output.suffix(3000))")
            // 10 seeds + 30 models + 60 tests, all passing.
            #expect(output.contains("Done. PASS=100 WARN=0 ERROR=0 SKIP=0"), "build \(run):\n\(output.suffix(1500))")
        }

        // The oracle: the seed CSV itself. model_00000 keeps raw_0's rows created on or after the
        // `start_date` var (2025-01-01), with the same ids.
        let csv = try String(contentsOf: project.appendingPathComponent("seeds/raw_0.csv"), encoding: .utf8)
        let kept = csv.split(separator: "\n").dropFirst().filter { $0.split(separator: ",")[3] >= "2025-01-01" }
        let idSum = kept.compactMap { Int64($0.split(separator: ",")[0]) }.reduce(0, +)
        var settings = try TestCluster.settings()
        settings["dbname"] = database
        let warehouse = try PostgresAdapter(settings: settings)
        defer { warehouse.close() }
        let row = try warehouse.query(#"select count(*), sum(id) from "opsflow"."model_00000""#, limit: nil).rows.first
        #expect(row?[0] == .integer(Int64(kept.count)))
        #expect(row?[1] == .real(Double(idSum)))
        // Nothing half-built is left behind: no __dbt_tmp or __dbt_backup relation.
        let names = try warehouse.listRelations(schema: "opsflow").map(\.identifier)
        #expect(names.count == 40)
        #expect(!names.contains { $0.hasSuffix("__dbt_tmp") || $0.hasSuffix("__dbt_backup") })
    }
}
