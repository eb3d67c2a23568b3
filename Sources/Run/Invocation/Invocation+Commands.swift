import Compile
import Foundation
import Project
import Warehouse

extension Invocation {
    func execute(_ command: InvocationCommand) throws -> Int32 {
        switch command {
        case .clean: return try clean()
        case .debug: return try debug()
        default: break
        }
        if command != .list || options.output == nil {
            info("Running with opsflow=\(OpsFlowVersion.current) (dbt=\(opsflowDbtVersion) compatible)", code: "A001", name: "MainReportVersion")
        }
        let session = try openSession(which: command.rawValue)
        defer { session.adapter.close() }
        if command != .list {
            info("Registered adapter: \(session.adapter.type)=\(OpsFlowVersion.current)", code: "E034", name: "AdapterRegistered")
            info(foundLine(session.compiler.manifest), code: "W013", name: "FoundStats")
        }
        try writeManifest(session)
        switch command {
        case .parse:
            info("Wrote \(session.targetDir.appendingPathComponent("manifest.json").path)")
            return 0
        case .list: return try list(session)
        case .compile, .show:
            // dbt's compile and show run on its thread pool and say so, like run and build.
            info("")
            info("Concurrency: \(session.threads) threads (target='\(session.target.name)')", code: "Q026", name: "ConcurrencyLine")
            info("")
            return command == .compile ? try compile(session) : try show(session)
        case .run, .test, .seed, .build:
            return options.dryRun ? try dryRun(session, command: command) : try build(session, command: command)
        case .clean, .debug: return 0
        }
    }

    // MARK: - clean

    func clean() throws -> Int32 {
        let project = try DbtProject.load(projectDir: projectDir)
        var targets = project.cleanTargets
        if targets.isEmpty { targets = [project.targetPath] }
        for path in targets {
            let url = URL(fileURLWithPath: projectDir).appendingPathComponent(path).standardizedFileURL
            guard url.path.hasPrefix(projectDir + "/") else {
                throw RunError(.config, "clean-targets must be inside the project folder, not \(path)", file: "dbt_project.yml")
            }
            if FileManager.default.fileExists(atPath: url.path) {
                try FileManager.default.removeItem(at: url)
                info("Cleaned \(path)/")
            }
        }
        info("Finished cleaning all paths.")
        return 0
    }

    // MARK: - debug

    func debug() throws -> Int32 {
        info("Running with opsflow=\(OpsFlowVersion.current) (dbt=\(opsflowDbtVersion) compatible)", code: "A001", name: "MainReportVersion")
        info("project dir: \(projectDir)")
        let session = try openSession(which: "debug")
        defer { session.adapter.close() }
        info("Configuration:")
        info("  profiles.yml: OK found and valid; profile '\(session.profileName)', target '\(session.target.name)'")
        info("  dbt_project.yml: OK found and valid; project '\(session.loaded.project.name)'")
        info("Connection:")
        info("  type: \(session.target.type)")
        info("  schema: \(session.target.schema ?? "main")")
        if let path = session.target["path"]?.asString { info("  path: \(path)") }
        _ = try session.adapter.query("select 1", limit: 1)
        info("  Connection test: [OK connection ok]")
        info("All checks passed!")
        return 0
    }

    // MARK: - ls

    func list(_ session: Session) throws -> Int32 {
        let manifest = session.compiler.manifest
        // As `dbt ls`: sorted by unique id, and project hooks (operation nodes) are not listed.
        let selected = try selectedIDs(session, types: options.resourceTypes.isEmpty ? nil : Set(options.resourceTypes))
            .filter { manifest.nodes[$0]?.resourceType != .operation }
            .sorted()
        var lines: [String] = []
        for id in selected {
            if let node = manifest.nodes[id] {
                switch options.output ?? "selector" {
                case "name": lines.append(node.name)
                case "path": lines.append(node.originalFilePath)
                case "json":
                    let object: [String: Any] = [
                        "name": node.name, "resource_type": node.resourceType.rawValue, "package_name": node.packageName,
                        "original_file_path": node.originalFilePath, "unique_id": node.uniqueID,
                        "alias": node.alias ?? node.name, "config": ConfigValue.dict(node.config.values).jsonObject,
                        "tags": node.tags, "depends_on": ["nodes": node.dependsOn.nodes, "macros": node.dependsOn.macros],
                    ]
                    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                    lines.append(String(decoding: data, as: UTF8.self))
                default: lines.append(node.fqn.joined(separator: "."))
                }
            } else if let source = manifest.sources[id] {
                switch options.output ?? "selector" {
                case "name": lines.append("\(source.sourceName).\(source.name)")
                case "path": lines.append(source.originalFilePath)
                default: lines.append("source:" + source.fqn.joined(separator: "."))
                }
            }
        }
        options.console.write(Data((lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")).utf8))
        return 0
    }

    // MARK: - compile

    func compile(_ session: Session) throws -> Int32 {
        if let inline = options.inline {
            let sql = try session.compiler.compileInline(inline)
            printResult("Compiled inline node is:\n" + sql, raw: sql)
            return 0
        }
        let manifest = session.compiler.manifest
        let selected = try selectedIDs(session, types: nil).filter {
            guard let node = manifest.nodes[$0] else { return false }
            return node.resourceType != .seed
        }
        // Nodes compile independently (the ephemeral cache has its own lock): use every core.
        var outcomes = [Result<String, Error>?](repeating: nil, count: selected.count)
        outcomes.withUnsafeMutableBufferPointer { buffer in
            let slots = ResultSlots(buffer)
            let workers = max(1, min(selected.count, ProcessInfo.processInfo.activeProcessorCount * 2))
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var index = worker
                while index < selected.count {
                    slots.buffer[index] = Result {
                        let result = try session.compiler.compile(selected[index])
                        try self.writeCompiled(session, node: result.node, sql: result.sql)
                        return result.sql
                    }
                    index += workers
                }
            }
        }
        var compiled: [String: String] = [:]
        var failed = false
        for (index, id) in selected.enumerated() {
            switch outcomes[index] {
            case .success(let sql): compiled[id] = sql
            case .failure(let error):
                failed = true
                events.emit(Event(.error, code: "Q035", name: "CompileError", Self.describe(error), nodeId: id))
            case nil: break
            }
        }
        // dbt's CompileTask prints each compiled node whose name occurs in the first --select
        // argument; tests picked up by indirect selection are not printed.
        if let first = options.select.first {
            for id in selected {
                guard let sql = compiled[id], let node = session.compiler.manifest.nodes[id], first.contains(node.name) else { continue }
                printResult("Compiled node '\(node.name)' is:\n" + sql, raw: sql)
            }
        }
        return failed ? 1 : 0
    }

    /// Prints a result: the whole text normally, only `raw` with `--quiet`.
    func printResult(_ text: String, raw: String) {
        if options.quiet {
            options.console.write(Data((raw + "\n").utf8))
        } else if options.logFormat == .json {
            info(text)
        } else {
            // dbt prints the compiled SQL and the preview without the time prefix, ready to copy.
            options.console.write(Data((text + "\n").utf8))
        }
    }

    /// `target/compiled/<package>/<original_file_path>` (generic tests: `…/<property file>/<test>.sql`).
    func compiledPath(_ node: Node, folder: String) -> String {
        var path = "\(folder)/\(node.packageName)/\(node.originalFilePath)"
        if node.isGenericTest { path += "/" + node.path }
        return path
    }

    /// Writes `target/compiled/…` for a node; with `queued`, by the artifact writer thread
    /// (failures come out of `artifactFiles.drain()`).
    func writeCompiled(_ session: Session, node: Node, sql: String, queued: Bool = false) throws {
        try writeArtifact(sql, to: artifactPath(session, compiledPath(node, folder: "compiled")), queued: queued)
    }

    /// Writes `target/run/…`: the statements a node sent.
    func writeRun(_ session: Session, node: Node, statements: [String], queued: Bool = false) throws {
        guard !statements.isEmpty else { return }
        try writeArtifact(statements.joined(separator: ";\n\n") + ";\n",
                          to: artifactPath(session, compiledPath(node, folder: "run")), queued: queued)
    }

    /// The file's path under the target folder, joined as text: `URL.appendingPathComponent`
    /// asks the file system whether the path is a folder, a system call per artifact.
    private func artifactPath(_ session: Session, _ relative: String) -> String {
        let target = session.targetDir.path
        return target.hasSuffix("/") ? target + relative : target + "/" + relative
    }

    private func writeArtifact(_ text: String, to path: String, queued: Bool) throws {
        if queued { artifactFiles.enqueue(text, to: path) } else { try artifactFiles.write(text, to: path) }
    }

    // MARK: - show

    func show(_ session: Session) throws -> Int32 {
        let sql: String
        let title: String
        if let inline = options.inline {
            sql = try session.compiler.compileInline(inline)
            title = "inline node"
        } else {
            let selected = try selectedIDs(session, types: ["model", "seed", "snapshot", "analysis"])
            guard let id = selected.first, let node = session.compiler.manifest.nodes[id] else {
                throw RunError(.selection, "--select \(options.select.joined(separator: " ")) matches no model",
                               hint: "`opsflow ls` lists the models")
            }
            sql = try session.compiler.compile(id).sql
            title = "node '\(node.name)'"
        }
        let limit = options.limit < 0 ? nil : options.limit
        let result = try session.adapter.query(sql, limit: limit)
        if options.output == "json" {
            let json = try Self.showJSON(result)
            printResult("Previewing \(title):\n" + json, raw: json)
        } else {
            let table = TableFormatter.markdown(result)
            // agate's table ends with a newline of its own: dbt leaves a blank line after it.
            printResult("Previewing \(title):\n" + table + "\n", raw: table + "\n")
        }
        return 0
    }
}

/// Lets concurrent iterations write disjoint slots of one buffer.
struct ResultSlots<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
    init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
}

extension Invocation {
    /// `dbt show --output json`: `{"show": [rows]}` as Python's `json.dumps(indent=2)` writes it,
    /// each row's keys in column order.
    static func showJSON(_ result: QueryResult) throws -> String {
        func scalar(_ value: Any) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .withoutEscapingSlashes]), as: UTF8.self)
        }
        guard !result.rows.isEmpty else { return "{\n  \"show\": []\n}" }
        var rows: [String] = []
        for row in result.rows {
            var fields: [String] = []
            for (column, cell) in zip(result.columns, row) {
                fields.append("      \(try scalar(column.name)): \(try scalar(cell.jsonValue))")
            }
            rows.append("    {\n" + fields.joined(separator: ",\n") + "\n    }")
        }
        return "{\n  \"show\": [\n" + rows.joined(separator: ",\n") + "\n  ]\n}"
    }
}

extension Cell {
    /// The cell as a JSON value.
    var jsonValue: Any {
        switch self {
        case .null: NSNull()
        case .integer(let value): value
        case .real(let value): value
        case .text(let value): value
        case .blob(let bytes): Data(bytes).base64EncodedString()
        case .bool(let value): value
        }
    }

    /// The cell as `show` prints it.
    var displayText: String {
        switch self {
        case .null: ""
        case .integer(let value): String(value)
        case .real(let value): value.rounded() == value && abs(value) < 1e15 ? String(format: "%.1f", value) : String(value)
        case .text(let value): value
        case .blob(let bytes): "<\(bytes.count) bytes>"
        case .bool(let value): value ? "True" : "False"
        }
    }
}

/// Formats rows the way `dbt show` prints them (agate's `print_table` markdown layout).
public enum TableFormatter {
    public static func markdown(_ result: QueryResult) -> String {
        let headers = result.columns.map(\.name)
        let cells = result.rows.map { $0.map(\.displayText) }
        var widths = headers.map(\.count)
        for row in cells {
            for (index, text) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], text.count) }
        }
        func line(_ values: [String], numericRight: Bool) -> String {
            "| " + values.enumerated().map { index, text in
                let pad = String(repeating: " ", count: max(0, widths[index] - text.count))
                let numeric = numericRight && index < result.columns.count && result.rows.first.map {
                    if case .integer = $0[index] { return true }
                    if case .real = $0[index] { return true }
                    return false
                } == true
                return numeric ? pad + text : text + pad
            }.joined(separator: " | ") + " |"
        }
        var lines = [line(headers, numericRight: false)]
        lines.append("| " + widths.map { String(repeating: "-", count: $0) }.joined(separator: " | ") + " |")
        for row in cells { lines.append(line(row, numericRight: true)) }
        return lines.joined(separator: "\n")
    }
}
