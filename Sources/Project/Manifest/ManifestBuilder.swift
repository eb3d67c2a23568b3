import Foundation

/// Builds a `Manifest` from a loaded project: one node per resource file, project-tree and
/// property-file configs applied, generic test nodes from property files, sources, macros and
/// doc blocks.
///
/// Identity rules are dbt's (checked against `dbt parse` of dbt-core 1.12, see
/// `Tests/ProjectTests/Fixtures`): `model.<pkg>.<file stem>`, fqn `[pkg, folders…, name]`;
/// seeds alike; snapshots `snapshot.<pkg>.<block name>` with fqn `[pkg, folders…, file stem,
/// name]`; analyses under `analysis/`; singular tests `test.<pkg>.<stem>`; hooks
/// `operation.<pkg>.<pkg>-on-run-start-<i>`.
public enum ManifestBuilder {
    /// Builds the unresolved manifest. Call `applyConfigCalls`/`setParseResult` for each node,
    /// then `resolve()`.
    /// - Throws: `ProjectError` — `.render` (an unclosed block), `.invalidTest`,
    ///   `.duplicateResource` (two property entries or two snapshots with one name).
    public static func build(_ loaded: LoadedProject) throws -> Manifest {
        let project = loaded.project
        let pkg = project.name
        var m = Manifest(projectName: pkg)
        m.selectors = loaded.selectors
        m.warnings = loaded.warnings

        // Macros and generic test blocks.
        var macroPackages: [String: String] = [:]
        for f in loaded.macroFiles {
            for block in try BlockScanner.scan(f.contents, file: f.originalFilePath) where block.kind == "macro" || block.kind == "test" || block.kind == "materialization" {
                let name = block.kind == "test" ? "test_" + block.name : (block.kind == "materialization" ? "materialization_" + block.name : block.name)
                var macro = MacroEntry(uniqueID: "macro.\(pkg).\(name)", name: name, packageName: pkg,
                                       path: f.originalFilePath, originalFilePath: f.originalFilePath, macroSQL: block.fullText)
                macro.arguments = block.kind == "macro" ? block.arguments : []
                m.add(macro)
                macroPackages[name] = pkg
            }
        }
        // Doc blocks.
        for f in loaded.docFiles {
            for block in try BlockScanner.scan(f.contents, file: f.originalFilePath) where block.kind == "docs" {
                let id = "doc.\(pkg).\(block.name)"
                m.docs[id] = DocBlock(uniqueID: id, name: block.name, packageName: pkg, path: f.path,
                                      originalFilePath: f.originalFilePath, blockContents: block.body.pythonStripped)
            }
        }

        // Property entries by resource kind and name.
        var patches: [ResourceType: [String: (ResourceProperties, String)]] = [:]
        for pf in loaded.propertyFiles {
            let groups: [(ResourceType, [ResourceProperties])] = [(.model, pf.models), (.seed, pf.seeds),
                                                                   (.snapshot, pf.snapshots), (.analysis, pf.analyses)]
            for (type, entries) in groups {
                for e in entries {
                    if let prior = patches[type]?[e.name] {
                        throw ProjectError(.duplicateResource,
                                           "\(type.rawValue) '\(e.name)' is described twice: in \(prior.1) and in \(pf.originalFilePath)",
                                           location: SourceLocation(file: pf.originalFilePath),
                                           hint: "keep one `- name: \(e.name)` entry")
                    }
                    patches[type, default: [:]][e.name] = (e, pf.originalFilePath)
                }
            }
            for mp in pf.macros {
                if var macro = m.macros["macro.\(pkg).\(mp.name)"] {
                    macro.description = mp.description
                    macro.meta = mp.meta
                    macro.patchPath = "\(pkg)://\(pf.originalFilePath)"
                    m.macros[macro.uniqueID] = macro
                }
            }
        }

        func fileNode(_ f: ProjectFile, type: ResourceType, name: String? = nil, fqnExtra: [String] = []) -> Node {
            let n = name ?? f.stem
            var node = Node(uniqueID: "\(type.rawValue).\(pkg).\(n)", resourceType: type, name: n, packageName: pkg,
                            path: f.path, originalFilePath: f.originalFilePath, fqn: [pkg] + f.subdirectories + fqnExtra + [n],
                            rawCode: f.rawCode, checksum: f.normalizedChecksum)
            node.layers.project = ProjectConfigTree.layers(project.configTree(for: type == .operation || type == .analysis ? .model : type), fqn: node.fqn)
            return node
        }
        func patch(_ node: inout Node) {
            guard let (p, file) = patches[node.resourceType]?[node.name] else { return }
            node.description = renderDocCalls(p.description, docs: m.docs, package: pkg)
            node.columns = p.columns.map { c in
                var c = c
                c.description = renderDocCalls(c.description, docs: m.docs, package: pkg)
                return c
            }
            node.constraints = p.constraints
            node.patchPath = "\(pkg)://\(file)"
            node.layers.property = p.config
            node.docBlocks = docReferences(p.description, package: pkg)
        }

        for f in loaded.models {
            var node = fileNode(f, type: .model)
            patch(&node)
            recomputeConfig(&node)
            m.add(node)
        }
        for f in loaded.snapshots {
            let blocks = try BlockScanner.scan(f.contents, file: f.originalFilePath).filter { $0.kind == "snapshot" }
            for block in blocks {
                var node = fileNode(f, type: .snapshot, name: block.name, fqnExtra: [f.stem])
                node.rawCode = block.body
                if m.nodes[node.uniqueID] != nil {
                    throw ProjectError(.duplicateResource, "two snapshots are named '\(block.name)'",
                                       location: SourceLocation(file: f.originalFilePath, line: block.line))
                }
                patch(&node)
                recomputeConfig(&node)
                m.add(node)
            }
        }
        for f in loaded.analyses {
            var af = f
            af.path = "analysis/" + f.path
            var node = fileNode(af, type: .analysis)
            patch(&node)
            recomputeConfig(&node)
            m.add(node)
        }
        for f in loaded.singularTests {
            var node = fileNode(f, type: .test)
            recomputeConfig(&node)
            m.add(node)
        }
        for f in loaded.seeds {
            var node = fileNode(f, type: .seed)
            node.rawCode = ""
            node.checksum = f.seedChecksum
            node.rootPath = loaded.root
            patch(&node)
            recomputeConfig(&node)
            m.add(node)
        }
        for (kind, hooks) in [("on-run-start", project.onRunStart), ("on-run-end", project.onRunEnd)] {
            for (i, sql) in hooks.enumerated() {
                let name = "\(pkg)-\(kind)-\(i)"
                var node = Node(uniqueID: "operation.\(pkg).\(name)", resourceType: .operation, name: name, packageName: pkg,
                                path: "hooks/\(name).sql", originalFilePath: "./dbt_project.yml", fqn: [pkg, "hooks", name],
                                rawCode: sql, checksum: loaded.projectFile?.normalizedChecksum ?? .none)
                node.layers.project = ProjectConfigTree.layers(project.models, fqn: node.fqn)
                node.tags = [kind]
                node.config = NodeConfig()
                node.columnName = nil
                recomputeConfig(&node)
                node.tags = [kind] + node.config.tags.filter { $0 != kind }
                node.description = ""
                m.add(node)
            }
        }

        // Sources, then the tests of sources, models, seeds and snapshots (built in parallel below).
        var testJobs: [TestJob] = []
        for pf in loaded.propertyFiles {
            for sp in pf.sources {
                for t in sp.tables {
                    var src = SourceDefinition(
                        uniqueID: "source.\(pkg).\(sp.name).\(t.name)", packageName: pkg, sourceName: sp.name, name: t.name,
                        schema: sp.schema ?? sp.name, identifier: t.identifier ?? t.name, path: pf.originalFilePath,
                        originalFilePath: pf.originalFilePath,
                        fqn: [pkg] + pf.originalFilePath.split(separator: "/").dropFirst().dropLast().map(String.init) + [sp.name, t.name])
                    src.database = sp.database
                    src.unrenderedDatabase = sp.database
                    src.unrenderedSchema = sp.schema
                    src.sourceDescription = sp.description
                    src.description = t.description
                    src.loader = sp.loader
                    src.loadedAtField = t.loadedAtField ?? sp.loadedAtField
                    src.loadedAtQuery = t.loadedAtQuery ?? sp.loadedAtQuery
                    src.freshness = mergeFreshness(source: sp.freshness, table: t.freshness)
                    src.quoting = sp.quoting
                    for (k, v) in t.quoting { src.quoting[k] = v }
                    src.columns = t.columns
                    src.sourceMeta = sp.meta
                    var meta = sp.meta
                    for (k, v) in t.meta { meta[k] = v }
                    src.meta = meta
                    var tags = sp.tags
                    for tag in t.tags where !tags.contains(tag) { tags.append(tag) }
                    src.tags = tags
                    src.dataTests = t.dataTests
                    src.external = t.external
                    var cfg = ConfigObject()
                    for layer in ProjectConfigTree.layers(project.sources, fqn: src.fqn) { ConfigMerge.merge(&cfg, layer) }
                    ConfigMerge.merge(&cfg, sp.config)
                    ConfigMerge.merge(&cfg, t.config)
                    src.enabled = cfg["enabled"]?.asBool ?? true
                    src.config = cfg
                    m.add(src)

                    for column in t.columns {
                        for def in column.dataTests {
                            testJobs.append(TestJob(definition: def, target: .source(source: sp.name, table: t.name), column: column, file: pf.originalFilePath))
                        }
                    }
                    for def in t.dataTests {
                        testJobs.append(TestJob(definition: def, target: .source(source: sp.name, table: t.name), column: nil, file: pf.originalFilePath))
                    }
                }
            }
        }

        // Generic tests of models, seeds, snapshots, in property-file order.
        for pf in loaded.propertyFiles {
            for (key, entries) in [("models", pf.models), ("seeds", pf.seeds), ("snapshots", pf.snapshots)] {
                for e in entries {
                    for column in e.columns {
                        for def in column.dataTests {
                            testJobs.append(TestJob(definition: def, target: .model(name: e.name, yamlKey: key), column: column, file: pf.originalFilePath))
                        }
                    }
                    for def in e.dataTests {
                        testJobs.append(TestJob(definition: def, target: .model(name: e.name, yamlKey: key), column: nil, file: pf.originalFilePath))
                    }
                }
            }
        }
        // Test nodes are independent of each other: build them on every core, add them in order.
        let built = UnsafeResultBuffer<Result<Node, Error>>(count: testJobs.count)
        let jobs = testJobs
        let testMacros = macroPackages
        DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
            built[i] = Result { try makeGenericTest(jobs[i], project: project, macroPackages: testMacros) }
        }
        for i in 0..<jobs.count {
            guard let result = built[i] else { continue }
            let node = try result.get()
            if m.nodes[node.uniqueID] != nil {
                throw ProjectError(.duplicateResource,
                                   "two data tests have the same name '\(node.name)' (unique id \(node.uniqueID))",
                                   location: SourceLocation(file: jobs[i].file),
                                   hint: "give one of them a `name:` or change its arguments")
            }
            m.add(node)
        }

        // Property entries that match no file: dbt warns and carries on.
        for (type, entries) in patches {
            for (name, (_, file)) in entries where m.nodes["\(type.rawValue).\(pkg).\(name)"] == nil {
                m.warnings.append(ProjectWarning("did not find a matching \(type.rawValue) for patch with name '\(name)'",
                                                 location: SourceLocation(file: file)))
            }
        }
        return m
    }

    /// One generic test to build: its entry, what it tests, and where it was declared.
    struct TestJob: Sendable {
        var definition: ConfigValue
        var target: GenericTestBuilder.Target
        var column: ColumnInfo?
        var file: String
    }

    private static func makeGenericTest(_ job: TestJob, project: DbtProject, macroPackages: [String: String]) throws -> Node {
        var columnName = job.column?.name
        if let column = job.column, column.quote == true, let c = columnName { columnName = "\"\(c)\"" }
        let built = try GenericTestBuilder.build(definition: job.definition, target: job.target, columnName: columnName,
                                                 columnTags: job.column?.tags ?? [], package: project.name,
                                                 originalFilePath: job.file, macroPackages: macroPackages)
        var node = built.node
        node.layers.project = ProjectConfigTree.layers(project.dataTests, fqn: node.fqn)
        node.layers.property = built.config
        let ownTags = node.tags
        recomputeConfig(&node)
        var tags = Set(ownTags)
        for t in node.config.tags { tags.insert(t) }
        node.tags = tags.sorted()
        if case .model(let name, let key) = job.target {
            let type: ResourceType = key == "seeds" ? .seed : (key == "snapshots" ? .snapshot : .model)
            node.attachedNode = "\(type.rawValue).\(project.name).\(name)"
        }
        return node
    }

    /// Recomputes `config` (and the fields derived from it) from the node's layers.
    package static func recomputeConfig(_ node: inout Node) {
        let (config, unrendered) = ConfigMerge.resolve(node.layers, type: node.resourceType)
        node.config = config
        node.unrenderedConfig = unrendered
        if node.resourceType != .test && node.resourceType != .operation {
            node.tags = config.tags
        }
        node.meta = config.meta
        node.alias = config.alias ?? node.name
    }

    /// A table's `freshness:` overrides the source's key by key; `null` at the table turns it off.
    static func mergeFreshness(source: ConfigValue?, table: ConfigValue?) -> ConfigValue {
        if let table, table.isNull { return .null }
        var out: ConfigObject = ["warn_after": ["count": nil, "period": nil], "error_after": ["count": nil, "period": nil],
                                 "filter": nil]
        for layer in [source, table] {
            guard let d = layer?.asDict else { continue }
            for (k, v) in d { out[k] = v }
        }
        return .dict(out)
    }

    /// Replaces each `{{ doc('name') }}` in a description by the doc block's text, as dbt renders
    /// descriptions at parse. Descriptions with other Jinja are left as written (Compile may render them).
    static func renderDocCalls(_ text: String, docs: [String: DocBlock], package: String) -> String {
        guard text.utf8.contains(0x7b), text.contains("doc(") else { return text }
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            guard let close = rest.range(of: "}}", range: open.upperBound..<rest.endIndex) else { break }
            let expr = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            out += rest[..<open.lowerBound]
            let ids = docReferences(expr, package: package)
            if expr.hasPrefix("doc("), expr.hasSuffix(")"), ids.count == 1, let block = docs[ids[0]] {
                out += block.blockContents
            } else {
                out += rest[open.lowerBound..<close.upperBound]
            }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// `{{ doc("name") }}` references in a description, as `doc.<pkg>.<name>` ids.
    static func docReferences(_ text: String, package: String) -> [String] {
        guard text.utf8.contains(0x28), text.contains("doc(") else { return [] }
        var out: [String] = []
        var rest = Substring(text)
        while let r = rest.range(of: "doc(") {
            rest = rest[r.upperBound...]
            let trimmed = rest.drop(while: { $0 == " " })
            guard let q = trimmed.first, q == "'" || q == "\"" else { continue }
            let body = trimmed.dropFirst()
            guard let end = body.firstIndex(of: q) else { break }
            out.append("doc.\(package).\(body[..<end])")
        }
        return out
    }
}

/// The `models:`/`seeds:`/… trees of dbt_project.yml, walked as dbt walks them (`fqn_search`).
///
/// Levels: the tree's root, then one level per fqn part (package, folders, node name). At each
/// level a `+key` is always a config; a plain key is a config unless its value is a mapping (then
/// it names a folder).
enum ProjectConfigTree {
    static func layers(_ tree: ConfigObject, fqn: [String]) -> [ConfigObject] {
        var out: [ConfigObject] = []
        var level = tree
        out.append(configs(level))
        for part in fqn {
            guard let next = level[part]?.asDict else { break }
            out.append(configs(next))
            level = next
        }
        return out.filter { !$0.isEmpty }
    }

    static func configs(_ level: ConfigObject) -> ConfigObject {
        var out = ConfigObject()
        for (k, v) in level {
            if k.hasPrefix("+") {
                out[String(k.dropFirst()).trimmingSpaces] = v
            } else if v.asDict == nil {
                out[k] = v
            }
        }
        return out
    }
}
