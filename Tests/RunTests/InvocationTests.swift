import Foundation
import Testing
import Warehouse
import WarehouseSQLite
@testable import Run

/// One invocation in-process on a copy of the CLI fixture project: dbt's exit codes (0 success,
/// 1 a node failed, 2 the invocation failed) and the events its consumers read.
@Suite struct InvocationTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CLITests/Fixtures/shop")

    let root: URL
    let consoleFile: URL

    init() throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("opsflow-inv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        root = parent.appendingPathComponent("shop")
        try FileManager.default.copyItem(at: Self.fixture, to: root)
        consoleFile = parent.appendingPathComponent("console.txt")
        FileManager.default.createFile(atPath: consoleFile.path, contents: nil)
    }

    static let sqlite = AdapterFactory(type: "sqlite") { settings, projectDir in
        let file = settings["path"] ?? "opsflow.sqlite"
        return try SQLiteAdapter(path: URL(fileURLWithPath: projectDir).appendingPathComponent(file).path, schema: settings["schema"])
    }

    func invoke(_ command: InvocationCommand, _ configure: (inout InvocationOptions) -> Void = { _ in }) throws -> (Int32, [Event], String) {
        var options = InvocationOptions()
        options.projectDir = root.path
        options.profilesDir = root.path
        let handle = try FileHandle(forWritingTo: consoleFile)
        options.console = handle
        configure(&options)
        let recorder = EventRecorder()
        let code = Invocation(options: options, adapters: [Self.sqlite], extraSink: recorder).run(command)
        try handle.close()
        return (code, recorder.events, try String(contentsOf: consoleFile, encoding: .utf8))
    }

    @Test func parseSucceeds() throws {
        let (code, events, _) = try invoke(.parse)
        #expect(code == 0)
        #expect(events.contains { $0.code == "W013" && $0.message.hasPrefix("Found 7 models, 2 seeds, 8 data tests") })
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("target/manifest.json").path))
    }

    @Test func aFailingNodeIsExitOne() throws {
        let (code, events, _) = try invoke(.build)
        #expect(code == 1)
        // Every node that ran has a start event with its id; the skipped one a SkippingDetails event.
        let started = Set(events.filter { $0.name == "LogStartLine" }.compactMap(\.nodeId))
        #expect(started.count == 15)
        #expect(events.filter { $0.name == "SkippingDetails" }.compactMap(\.nodeId) == ["model.shop.after_dups"])
        let failed = events.first { $0.name == "LogTestResult" && $0.nodeId == "test.shop.unique_dup_ids_id.269b938cb3" }
        #expect(failed?.level == .error)
        #expect(events.last { $0.name == "StatsLine" }?.message == "Done. PASS=16 WARN=1 ERROR=1 SKIP=1 NO-OP=0 REUSED=0 TOTAL=19")
    }

    @Test func aBrokenProjectIsExitTwo() throws {
        try Data("select * from {{ ref('nope') }}\n".utf8).write(to: root.appendingPathComponent("models/broken.sql"))
        let (code, events, _) = try invoke(.run)
        #expect(code == 2)
        let errors = events.filter { $0.level == .error }
        #expect(errors.count == 1)
        #expect(errors.first?.code == "Z002")
        #expect(errors.first?.message.contains("models/broken.sql") == true)
        #expect(!events.contains { $0.name == "LogStartLine" })
    }

    @Test func listWritesOnlyTheNodesToTheConsole() throws {
        let (code, _, console) = try invoke(.list) { options in
            options.select = ["tag:staging"]
            options.resourceTypes = ["model"]
            options.output = "name"
        }
        #expect(code == 0)
        #expect(console == "stg_customers\nstg_orders\n")
    }

    @Test func unknownAdapterTypeIsExitTwo() throws {
        let profiles = "shop:\n  target: dev\n  outputs:\n    dev:\n      type: snowflake\n      schema: dev\n"
        try Data(profiles.utf8).write(to: root.appendingPathComponent("profiles.yml"))
        let (code, events, _) = try invoke(.debug)
        #expect(code == 2)
        #expect(events.contains { $0.level == .error && $0.message.contains("'snowflake'") && $0.message.contains("sqlite") })
    }
}
