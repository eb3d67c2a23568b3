import Compile
import Foundation
import Project
import Run
import Warehouse

/// A project opened for an Ops verb: its files, profile target, warehouse connection, parsed
/// manifest and state database.
///
/// The same steps as an `Invocation` takes before it runs nodes (project → profile → adapter →
/// parse), through the public APIs of Project and Compile, so that `opsflow load` resolves a
/// source to the very relation `{{ source() }}` compiles to.
public final class OpsWorkspace: @unchecked Sendable {
    public let root: String
    public let loaded: LoadedProject
    public let target: Target
    public let adapter: any Adapter
    public let manifest: Manifest
    public let state: StateStore
    /// `<project>/<target-path>`.
    public let targetDir: URL
    public let environment: [String: String]

    /// Opens a project.
    /// - Parameters:
    ///   - options: project dir, profiles dir, target and vars as the CLI parsed them.
    ///   - adapters: the warehouse drivers of this binary.
    ///   - statePath: the state database (default `<project>/.opsflow/state.sqlite`).
    /// - Throws: `ProjectError`, `CompileError`, `WarehouseError`, ``OpsError``.
    public init(options: InvocationOptions, adapters: [AdapterFactory], statePath: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let projectDir = URL(fileURLWithPath: options.projectDir ?? FileManager.default.currentDirectoryPath).standardizedFileURL.path
        let cliVars = try parseCLIVars(options.vars)
        let render = yamlValueRenderer(environment: environment, vars: cliVars)
        let loaded = try ProjectLoader.load(projectDir: projectDir, render: render)
        let profiles = try ProfilesFile.locate(profilesDir: options.profilesDir, projectDir: projectDir,
                                               environment: environment, render: render)
        let profileName = loaded.project.profile ?? loaded.project.name
        let target = try profiles.target(profile: profileName, target: options.target)
        guard let factory = adapters.first(where: { $0.type == target.type }) else {
            throw OpsError(.config, "the target '\(target.name)' has type '\(target.type)', which this build of OpsFlow does not support",
                           file: profiles.path)
        }
        var settings: [String: String] = [:]
        for (key, value) in target.fields { settings[key] = value.asString ?? value.pythonStr }
        let adapter = try factory.open(settings, loaded.root)
        do {
            var compileSettings = CompileSettings(target: target, profileName: profileName, which: "load", environment: environment)
            compileSettings.cliVars = cliVars
            let compiler = try ProjectCompiler(loaded: loaded, settings: compileSettings, adapter: adapter)
            try compiler.parse()
            manifest = compiler.manifest
            state = try StateStore(path: statePath ?? StateStore.defaultPath(projectDir: loaded.root))
        } catch {
            adapter.close()
            throw error
        }
        self.root = loaded.root
        self.loaded = loaded
        self.target = target
        self.adapter = adapter
        self.targetDir = URL(fileURLWithPath: loaded.root).appendingPathComponent(loaded.project.targetPath)
        self.environment = environment
    }

    /// Closes the warehouse connection.
    public func close() { adapter.close() }

    /// The source table `source_name.table_name`.
    /// - Throws: ``OpsError`` `.notFound` naming the declared sources.
    public func source(_ qualified: String) throws -> SourceDefinition {
        let parts = qualified.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2 else {
            throw OpsError(.config, "name the source table as <source_name>.<table_name>, not '\(qualified)'")
        }
        if let source = manifest.sources.values.first(where: { $0.sourceName == parts[0] && $0.name == parts[1] }) {
            return source
        }
        let known = manifest.sources.values.map { "\($0.sourceName).\($0.name)" }.sorted().joined(separator: ", ")
        throw OpsError(.notFound, "the project declares no source table \(qualified)", hint: "declared: \(known)")
    }
}
