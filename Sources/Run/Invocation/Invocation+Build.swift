import Compile
import Foundation
import Project
import Warehouse

extension Invocation {
    /// `run`, `test`, `seed` and `build`: executes the selected nodes over the graph.
    func build(_ session: Session, command: InvocationCommand) throws -> Int32 {
        let manifest = session.compiler.manifest
        let types: Set<String> = switch command {
        case .run: ["model"]
        case .test: ["test"]
        case .seed: ["seed"]
        default: ["model", "seed", "test", "snapshot"]
        }
        // Ephemeral models are inlined into their children, never run: dbt neither counts nor prints
        // them. A child waits for the ephemeral model's own parents instead.
        func isEphemeral(_ id: String) -> Bool {
            manifest.nodes[id].map { $0.resourceType == .model && $0.config.materialized == "ephemeral" } ?? false
        }
        let selected = try selectedIDs(session, types: types).filter { manifest.nodes[$0] != nil && !isEphemeral($0) }
        if selected.isEmpty {
            // dbt: a warning per criterion that matches nothing, "Nothing to do", exit 0, no hooks.
            warnUnmatchedCriteria(session)
            events.emit(Event(.warn, code: "Z052", name: "NothingToDo",
                              "[WARNING]: Nothing to do. Try checking your model configs and model specification args"))
            try RunResultsWriter.write(
                to: session.targetDir.appendingPathComponent("run_results.json"), results: [],
                invocationId: invocationId, startedAt: startedAt, elapsedTime: Date().timeIntervalSince(startedAt),
                dbtVersion: opsflowDbtVersion, args: ["which": command.rawValue, "select": options.select])
            return 0
        }
        let selectedSet = Set(selected)
        func parents(_ id: String, seen: inout Set<String>) -> [String] {
            var result: [String] = []
            for parent in manifest.nodes[id]?.dependsOn.nodes ?? [] where seen.insert(parent).inserted {
                if isEphemeral(parent) { result += parents(parent, seen: &seen) } else if selectedSet.contains(parent) { result.append(parent) }
            }
            return result
        }
        var dependencies: [String: [String]] = [:]
        for id in selected {
            var seen = Set<String>()
            dependencies[id] = parents(id, seen: &seen)
        }
        if command == .build {
            // A model's children wait for its tests, so a failing test stops what depends on it.
            var testsOf: [String: [String]] = [:]
            for id in selected where manifest.nodes[id]?.resourceType == .test {
                for parent in dependencies[id] ?? [] { testsOf[parent, default: []].append(id) }
            }
            // As dbt's build queue, a child never waits for a test that itself depends on the child
            // (a relationships test from the child back to its parent), which would be a cycle.
            var ancestorsOfTest: [String: Set<String>] = [:]
            func ancestors(_ id: String) -> Set<String> {
                if let known = ancestorsOfTest[id] { return known }
                var seen = Set<String>()
                var stack = dependencies[id] ?? []
                while let next = stack.popLast() {
                    if seen.insert(next).inserted { stack += dependencies[next] ?? [] }
                }
                ancestorsOfTest[id] = seen
                return seen
            }
            for id in selected where manifest.nodes[id]?.resourceType != .test {
                for parent in dependencies[id] ?? [] {
                    // A test of `parent` alone cannot depend on `id`, a child of `parent` (that
                    // would be a cycle): only multi-parent tests need the ancestor walk, which
                    // for thousands of single-model tests was a large share of the run's CPU.
                    for test in testsOf[parent] ?? []
                    where (dependencies[test] ?? []).allSatisfy({ $0 == parent }) || !ancestors(test).contains(id) {
                        dependencies[id, default: []].append(test)
                    }
                }
            }
        }

        info("")
        info("Concurrency: \(session.threads) threads (target='\(session.target.name)')", code: "Q026", name: "ConcurrencyLine")
        info("")
        let startHooks = runProjectHooks(session, hooks: session.loaded.project.onRunStart, label: "on-run-start")

        let runner = NodeExecution(invocation: self, session: session, total: selected.count, command: command)
        if startHooks.contains(where: \.isError) {
            // dbt 1.12 (`skip_nodes_if_on_run_start_fails`): a failed on-run-start hook skips every node.
            for id in selected { runner.skip(id, cause: nil) }
        } else {
            let walker = GraphWalker(threads: session.threads)
            // Sorted unique ids: dbt's tie-break among nodes ready at the same time.
            walker.walk(
                order: selected.sorted(), dependencies: dependencies, failFast: options.failFast,
                execute: { id, worker in runner.execute(id, worker: worker) },
                skip: { id, cause in runner.skip(id, cause: cause) })
        }

        // The nodes' target/compiled and target/run files are written by now (a folder that
        // cannot be written fails the invocation, as it would have failed the node).
        try artifactFiles.drain()
        let endHooks = runProjectHooks(session, hooks: session.loaded.project.onRunEnd, label: "on-run-end")
        let results = startHooks + runner.results + endHooks
        let elapsed = Date().timeIntervalSince(startedAt)
        try RunResultsWriter.write(
            to: session.targetDir.appendingPathComponent("run_results.json"), results: results,
            invocationId: invocationId, startedAt: startedAt, elapsedTime: elapsed, dbtVersion: opsflowDbtVersion,
            args: ["which": command.rawValue, "select": options.select, "exclude": options.exclude,
                   "full_refresh": options.fullRefresh, "threads": session.threads, "target": session.target.name])
        summarize(results, manifest: manifest, elapsed: elapsed, adapter: session.adapter)
        return results.contains { $0.isError } ? 1 : 0
    }

    /// dbt's `NoNodesForSelectionCriteria`: one warning for each `--select` argument that alone
    /// selects nothing.
    func warnUnmatchedCriteria(_ session: Session) {
        let manifest = session.compiler.manifest
        guard let graph = try? Graph(manifest), let selector = try? Selector(manifest: manifest, graph: graph) else { return }
        for criterion in options.select {
            guard let result = try? selector.select(select: [criterion], exclude: [], selector: nil), result.selected.isEmpty else { continue }
            events.emit(Event(.warn, code: "M030", name: "NoNodesForSelectionCriteria",
                              "[WARNING]: The selection criterion '\(criterion)' does not match any enabled nodes"))
        }
    }

    /// Runs `on-run-start`/`on-run-end` as dbt 1.12 does: each hook is an `operation` node with a
    /// START and an OK/ERROR line and a result in run_results.json (counted in `Done.`); after a
    /// failed hook the rest are skipped, and the failure makes the exit code 1, not 2
    /// (dbt's `RunTask.safe_run_hooks`).
    func runProjectHooks(_ session: Session, hooks: [String], label: String) -> [NodeResult] {
        guard !hooks.isEmpty else { return [] }
        let project = session.loaded.project.name
        var results: [NodeResult] = []
        var failed = false
        if label == "on-run-end" { info("") }
        for (index, hook) in hooks.enumerated() {
            let name = "\(project).\(label).\(index)"
            let id = "operation.\(project).\(project)-\(label)-\(index)"
            if failed {
                events.emit(Event(.info, code: "Q033", name: "LogHookEndLine",
                                  progressLine(index: index + 1, total: hooks.count, message: "SKIP hook: \(name)", status: "SKIP", seconds: 0), nodeId: id))
                results.append(NodeResult(uniqueId: id, status: .skipped, message: "\(name) skipped", threadId: "main"))
                continue
            }
            let started = Date()
            events.emit(Event(.info, code: "Q032", name: "LogHookStartLine",
                              progressLine(index: index + 1, total: hooks.count, message: "START hook: \(name)", status: "RUN"), nodeId: id))
            var sql: String?
            do {
                let rendered = try session.compiler.renderProjectHook(hook)
                sql = rendered
                let compiledAt = Date()
                _ = try session.adapter.execute(rendered)
                let finished = Date()
                let seconds = finished.timeIntervalSince(started)
                events.emit(Event(.info, code: "Q033", name: "LogHookEndLine",
                                  progressLine(index: index + 1, total: hooks.count, message: "OK hook: \(name)", status: "OK", seconds: seconds), nodeId: id))
                results.append(NodeResult(uniqueId: id, status: .success, message: "\(name) passed", failures: 0,
                                          timing: [TimingInfo(name: "compile", startedAt: started, completedAt: compiledAt),
                                                   TimingInfo(name: "execute", startedAt: compiledAt, completedAt: finished)],
                                          executionTime: seconds, threadId: "main", compiledCode: rendered))
            } catch {
                failed = true
                let seconds = Date().timeIntervalSince(started)
                events.emit(Event(.error, code: "Q033", name: "LogHookEndLine",
                                  progressLine(index: index + 1, total: hooks.count, message: "ERROR hook: \(name)", status: "ERROR", seconds: seconds), nodeId: id))
                results.append(NodeResult(uniqueId: id, status: .error, message: "\(name) failed, error:\n \(Self.describe(error))",
                                          failures: 1, executionTime: seconds, threadId: "main", compiledCode: sql))
            }
        }
        if label == "on-run-start" { info("") }
        return results
    }

    /// dbt's closing lines: `Finished running …`, the errors and warnings, `Done. PASS=…`.
    func summarize(_ results: [NodeResult], manifest: Manifest, elapsed: Double, adapter: (any Adapter)? = nil) {
        var kinds: [String: Int] = [:]
        for result in results {
            guard let node = manifest.nodes[result.uniqueId] else { continue }
            let key: String
            switch node.resourceType {
            case .model: key = "\(node.config.materialized ?? "view") model"
            case .operation: key = "project hook"
            default: key = node.resourceType.rawValue
            }
            kinds[key, default: 0] += 1
        }
        // dbt's `get_counts`: keys sorted alphabetically, then "test" shown as "data test".
        let described = kinds.sorted { $0.key < $1.key }
            .map { "\($0.value) \($0.key == "test" ? "data test" : $0.key)\($0.value == 1 ? "" : "s")" }
        let minutes = Int(elapsed) / 60
        info("")
        info("Finished running \(described.joined(separator: ", ")) in 0 hours \(minutes) minutes and "
             + String(format: "%.2f", elapsed - Double(minutes * 60)) + " seconds (" + String(format: "%.2f", elapsed) + "s).",
             code: "Q030", name: "FinishedRunningStats")
        let errors = results.filter(\.isError)
        let warnings = results.filter { $0.status == .warn }
        info("")
        if errors.isEmpty && warnings.isEmpty {
            info("Completed successfully", code: "Z030", name: "EndOfRunSummary")
        } else {
            info("Completed with \(errors.count) error\(errors.count == 1 ? "" : "s"), 0 partial successes, and \(warnings.count) warning\(warnings.count == 1 ? "" : "s"):",
                 code: "Z030", name: "EndOfRunSummary")
            for result in errors + warnings {
                guard let node = manifest.nodes[result.uniqueId] else { continue }
                // dbt 1.12's RunResultFailure / RunResultWarning (+ RunResultWarningMessage), SQLCompiledPath.
                info("")
                let subject = "in \(node.resourceType.rawValue) \(node.name) (\(node.originalFilePath))"
                if result.status == .warn {
                    events.emit(Event(.warn, code: "Z021", name: "RunResultWarning", "[WARNING]: " + subject))
                    events.emit(Event(.warn, code: "Z046", name: "RunResultWarningMessage", "[WARNING]: " + (result.message ?? "")))
                } else {
                    events.emit(Event(.error, code: "Z022", name: "RunResultFailure", "[ERROR]: " + subject))
                    events.emit(Event(.error, code: "Z024", name: "RunResultError", "  " + (result.message ?? "")))
                }
                // Only a node that compiled has compiled code to point at (dbt's `compiled_path`).
                if result.compiledCode != nil, node.resourceType == .test || node.resourceType == .model {
                    info("")
                    info("  compiled code at \(node.packageName.isEmpty ? "" : "target/")\(compiledPath(node, folder: "compiled"))",
                         code: "Z026", name: "SQLCompiledPath")
                }
                // dbt's CheckNodeTestFailure: where a store_failures test left its failing rows.
                if node.resourceType == .test, node.config.storeFailures == true, let adapter, let schema = node.schema {
                    let select = "select * from " + adapter.render(Relation(database: node.database, schema: schema,
                                                                             identifier: node.alias ?? node.name))
                    let border = String(repeating: "-", count: select.count)
                    info("")
                    info("  See test failures:\n  \(border)\n  \(select)\n  \(border)", code: "Z027", name: "CheckNodeTestFailure")
                }
            }
        }
        let pass = results.filter { [.success, .pass].contains($0.status) }.count
        let skip = results.filter { $0.status == .skipped }.count
        info("")
        info("Done. PASS=\(pass) WARN=\(warnings.count) ERROR=\(errors.count) SKIP=\(skip) NO-OP=0 REUSED=0 TOTAL=\(results.count)",
             code: "Z023", name: "StatsLine")
    }
}

/// Runs nodes on worker threads and collects their results.
///
/// `@unchecked Sendable`: `lock` guards `collected` and `started`.
final class NodeExecution: @unchecked Sendable {
    let invocation: Invocation
    let session: Session
    let total: Int
    let command: InvocationCommand
    private let lock = NSLock()
    private var collected: [NodeResult] = []
    private var started = 0

    init(invocation: Invocation, session: Session, total: Int, command: InvocationCommand) {
        self.invocation = invocation
        self.session = session
        self.total = total
        self.command = command
    }

    var results: [NodeResult] {
        lock.lock(); defer { lock.unlock() }
        return collected
    }

    private func nextIndex() -> Int {
        lock.lock(); defer { lock.unlock() }
        started += 1
        return started
    }

    private func record(_ result: NodeResult) {
        lock.lock(); collected.append(result); lock.unlock()
    }

    func skip(_ id: String, cause: String?) {
        let index = nextIndex()
        guard let node = session.compiler.manifest.nodes[id] else { return }
        let what = node.resourceType == .test ? "test \(node.name)" : "relation \(relationText(node))"
        invocation.events.emit(Event(.info, code: "Q034", name: "SkippingDetails",
                                     progressLine(index: index, total: total, message: "SKIP \(what)", status: "SKIP"), nodeId: id))
        record(NodeResult(uniqueId: id, status: .skipped, message: cause.map { "Skipped: \($0) failed" },
                          threadId: currentThreadName()))
    }

    func relationText(_ node: Node) -> String {
        "\(node.schema ?? "").\(node.alias ?? node.name)"
    }

    /// A line like `START sql table model dev_marts.mart_x`.
    private func describe(_ node: Node) -> String {
        switch node.resourceType {
        case .model: return "sql \(node.config.materialized ?? "view") model \(relationText(node))"
        case .seed: return "seed file \(relationText(node))"
        case .test: return "test \(node.name)"
        default: return "\(node.resourceType.rawValue) \(relationText(node))"
        }
    }

    func execute(_ id: String, worker: Int) -> WalkOutcome {
        guard let node = session.compiler.manifest.nodes[id] else { return .succeeded }
        let index = nextIndex()
        let thread = "Thread-\(worker)"
        let events = invocation.events
        events.emit(Event(.info, code: "Q011", name: "LogStartLine",
                          progressLine(index: index, total: total, message: "START \(describe(node))", status: "RUN"), nodeId: id))
        let began = Date()
        var timing: [TimingInfo] = []
        var compiledSQL: String?
        do {
            let outcome: ExecutionOutcome
            var executable: ExecutableNode
            if node.resourceType == .seed {
                executable = try seedNode(node)
                let compiledAt = Date()
                timing.append(TimingInfo(name: "compile", startedAt: began, completedAt: compiledAt))
                let seedNode = executable
                outcome = try session.adapter.withContext(StatementContext(invocationId: invocation.invocationId, nodeId: id)) {
                    try SeedLoader.run(seedNode, adapter: session.adapter)
                }
            } else {
                let compiled = try session.compiler.compile(id)
                compiledSQL = compiled.sql
                try invocation.writeCompiled(session, node: compiled.node, sql: compiled.sql, queued: true)
                let compiledAt = Date()
                timing.append(TimingInfo(name: "compile", startedAt: began, completedAt: compiledAt))
                executable = executableNode(compiled)
                let ready = executable
                outcome = try session.adapter.withContext(StatementContext(invocationId: invocation.invocationId, nodeId: id)) {
                    node.resourceType == .test
                        ? try TestExecutor.run(ready, adapter: session.adapter)
                        : try ModelMaterializer.run(ready, adapter: session.adapter)
                }
            }
            let finished = Date()
            timing.append(TimingInfo(name: "execute", startedAt: timing.last?.completedAt ?? began, completedAt: finished))
            try invocation.writeRun(session, node: node, statements: outcome.executedSQL, queued: true)
            let seconds = finished.timeIntervalSince(began)
            let status: String
            let message: String
            switch outcome.status {
            case .pass: (status, message) = ("PASS", "PASS \(node.name)")
            case .warn: (status, message) = ("WARN \(outcome.failures ?? 0)", "WARN \(outcome.failures ?? 0) \(node.name)")
            case .fail: (status, message) = ("FAIL \(outcome.failures ?? 0)", "FAIL \(outcome.failures ?? 0) \(node.name)")
            default:
                status = outcome.message
                message = node.resourceType == .seed ? "OK loaded \(describe(node))" : "OK created \(describe(node))"
            }
            let level: Event.Level = outcome.status == .fail ? .error : (outcome.status == .warn ? .warn : .info)
            events.emit(Event(level, code: node.resourceType == .test ? "Q007" : "Q012",
                              name: node.resourceType == .test ? "LogTestResult" : "LogModelResult",
                              progressLine(index: index, total: total, message: message, status: status, seconds: seconds), nodeId: id))
            record(NodeResult(uniqueId: id, status: outcome.status, message: outcome.message, failures: outcome.failures,
                              timing: timing, executionTime: seconds, threadId: thread, adapterResponse: outcome.response,
                              compiledCode: compiledSQL, relationName: node.relationName))
            if outcome.status == .fail { return .blocksDescendants }
            return .succeeded
        } catch {
            let seconds = Date().timeIntervalSince(began)
            let what = node.resourceType == .test ? "test \(node.name)" : "\(describe(node))"
            events.emit(Event(.error, code: "Q012", name: "LogModelResult",
                              progressLine(index: index, total: total, message: "ERROR creating \(what)", status: "ERROR", seconds: seconds),
                              nodeId: id))
            // Paths relative to the project, as in every other message (seed files are read by absolute path).
            let message = Invocation.describe(error).replacingOccurrences(of: session.loaded.root + "/", with: "")
            record(NodeResult(uniqueId: id, status: .error, message: message, timing: timing, executionTime: seconds,
                              threadId: thread, compiledCode: compiledSQL, relationName: node.relationName))
            return .blocksDescendants
        }
    }

    /// The runner's view of a compiled node.
    func executableNode(_ compiled: CompiledNode) -> ExecutableNode {
        let node = compiled.node
        let kind: ExecutableNode.Kind = node.resourceType == .test ? .test : .model
        var executable = ExecutableNode(
            uniqueId: node.uniqueID, kind: kind, name: node.name, relation: session.compiler.relation(of: node),
            materialized: node.resourceType == .test ? "test" : (node.config.materialized ?? "view"),
            compiledSQL: compiled.sql)
        executable.preHooks = compiled.preHooks
        executable.postHooks = compiled.postHooks
        executable.fullRefresh = session.compiler.shouldFullRefresh(node)
        executable.incremental.uniqueKey = node.config.uniqueKey ?? []
        executable.incremental.strategy = node.config.incrementalStrategy
        executable.incremental.onSchemaChange = node.config.onSchemaChange ?? "ignore"
        if node.resourceType == .model {
            executable.config = node.config.values.settings
            executable.description = node.description
            for column in node.columns { executable.columnDescriptions[column.name] = column.description }
        }
        if node.resourceType == .test {
            executable.test.severity = node.config.severity ?? "error"
            executable.test.warnIf = node.config.warnIf ?? "!= 0"
            executable.test.errorIf = node.config.errorIf ?? "!= 0"
            executable.test.failCalc = node.config.failCalc ?? "count(*)"
            executable.test.limit = node.config.limit
            executable.test.storeFailures = node.config.storeFailures ?? false
            if let schema = node.schema {
                executable.test.auditRelation = Relation(database: node.database, schema: schema, identifier: node.alias ?? node.name)
            }
        }
        return executable
    }

    func seedNode(_ node: Node) throws -> ExecutableNode {
        var executable = ExecutableNode(uniqueId: node.uniqueID, kind: .seed, name: node.name,
                                        relation: session.compiler.relation(of: node), materialized: "seed", compiledSQL: "")
        var seed = SeedConfig(path: URL(fileURLWithPath: session.loaded.root).appendingPathComponent(node.originalFilePath).path)
        if let delimiter = node.config.delimiter?.first { seed.delimiter = delimiter }
        for (column, type) in node.config.columnTypes { seed.columnTypes[column] = type.asString ?? type.pythonStr }
        executable.seed = seed
        return executable
    }
}
