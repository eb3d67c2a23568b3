import Compile
import Foundation
import Project
import Warehouse

/// Everything an invocation loads before it runs nodes.
struct Session {
    var loaded: LoadedProject
    var target: Target
    var profileName: String
    var adapter: any Adapter
    var compiler: ProjectCompiler
    var targetDir: URL
    var threads: Int
}

extension Invocation {
    /// Reads the project and the profile, opens the warehouse and parses the project.
    /// - Throws: `ProjectError`, ``CompileError``, `WarehouseError` — all end the invocation (exit 2).
    func openSession(which: String) throws -> Session {
        let environment = ProcessInfo.processInfo.environment
        let cliVars = try parseCLIVars(options.vars)
        let render = yamlValueRenderer(environment: environment, vars: cliVars)
        let loaded = try ProjectLoader.load(projectDir: projectDir, render: render)
        for warning in loaded.warnings {
            events.emit(Event(.warn, code: "W001", name: "ProjectWarning", "[WARNING]: \(warning)"))
        }
        let profiles = try ProfilesFile.locate(profilesDir: options.profilesDir, projectDir: projectDir,
                                               environment: environment, render: render)
        let profileName = loaded.project.profile ?? loaded.project.name
        let target = try profiles.target(profile: profileName, target: options.target)
        guard let factory = factories[target.type] else {
            throw RunError(.profile, "the target '\(target.name)' has type '\(target.type)', which this build of OpsFlow does not support",
                           file: profiles.path, hint: "supported types: \(factories.keys.sorted().joined(separator: ", "))")
        }
        var settings: [String: String] = [:]
        for (key, value) in target.fields {
            settings[key] = value.asString ?? value.pythonStr
        }
        let adapter = try factory.open(settings, loaded.root)

        var compileSettings = CompileSettings(target: target, profileName: profileName, invocationId: invocationId,
                                              runStartedAt: startedAt, which: which, environment: environment)
        compileSettings.cliVars = cliVars
        compileSettings.fullRefresh = options.fullRefresh
        compileSettings.log = EventLogSink(events: events)
        let compiler = try ProjectCompiler(loaded: loaded, settings: compileSettings, adapter: adapter)
        try compiler.parse()
        let targetDir = URL(fileURLWithPath: loaded.root).appendingPathComponent(loaded.project.targetPath)
        return Session(loaded: loaded, target: target, profileName: profileName, adapter: adapter, compiler: compiler,
                       targetDir: targetDir, threads: options.threads ?? target.threads)
    }

    /// Writes `target/manifest.json`.
    func writeManifest(_ session: Session) throws {
        var metadata = ManifestMetadata()
        metadata.invocationID = invocationId
        metadata.adapterType = session.adapter.type
        metadata.defaultSchema = session.target.schema ?? "main"
        metadata.defaultDatabase = session.target.database
        try ManifestWriter.write(session.compiler.manifest, to: session.targetDir.path, metadata: metadata)
    }

    /// `Found 12 models, 30 data tests, 2 sources, 500 macros`.
    func foundLine(_ manifest: Manifest) -> String {
        var counts: [ResourceType: Int] = [:]
        for node in manifest.nodes.values { counts[node.resourceType, default: 0] += 1 }
        var parts: [String] = []
        func add(_ count: Int, _ singular: String, _ plural: String) {
            if count > 0 { parts.append("\(count) \(count == 1 ? singular : plural)") }
        }
        add(counts[.model] ?? 0, "model", "models")
        add(counts[.snapshot] ?? 0, "snapshot", "snapshots")
        add(counts[.seed] ?? 0, "seed", "seeds")
        add(counts[.test] ?? 0, "data test", "data tests")
        add(counts[.analysis] ?? 0, "analysis", "analyses")
        add(manifest.sources.count, "source", "sources")
        add(manifest.macros.count, "macro", "macros")
        return "Found " + (parts.isEmpty ? "nothing" : parts.joined(separator: ", "))
    }
}

/// Sends `log()` from templates to the event stream.
struct EventLogSink: CompileLogSink {
    let events: any EventSink
    func log(_ message: String, info: Bool) {
        events.emit(Event(info ? .info : .debug, code: "Z020", name: "JinjaLogInfo", message))
    }
}
