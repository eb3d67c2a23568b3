import Foundation
import HTTPClient
import GRDB
import Run

/// What a sensor's poke found.
public enum SensorOutcome: Sendable, Hashable {
    /// Some of the day's files are not there yet (their sources).
    case waiting(missing: [String])
    /// The files are late past the deadline; the alert went out (once per sensor and day).
    case late(missing: [String])
    /// Every file arrived: loaded, archived, and the build was started with this exit code.
    case triggered(loaded: [FileLoadResult], buildExitCode: Int32)
}

/// Waits for the day's raw files in an inbox folder, loads them when all have arrived, archives
/// them, then builds what depends on their sources; alerts when they are late.
///
/// The day is the sensor's local date (its `timezone`) at the injected clock's instant. A crash
/// between a load and its archive is harmless: the next poke finds the file again and the
/// ledger skips it (same content), then archives it.
public struct InboxSensor: Sendable {
    public var name: String
    public var config: SensorConfig
    /// The project folder (inbox and archive are relative to it).
    public var root: String

    public init(name: String, config: SensorConfig, root: String) {
        self.name = name
        self.config = config
        self.root = root
    }

    func calendar() throws -> Calendar {
        guard let zone = TimeZone(identifier: config.timezone) else { throw OpsError(.config, "sensor \(name): unknown time zone '\(config.timezone)'") }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    /// `YYYYMMDD` of the local day.
    public func day(at now: Date) throws -> String {
        let c = try calendar().dateComponents([.year, .month, .day], from: now)
        return String(format: "%04d%02d%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    /// Whether a file name matches a pattern for the day (`{YYYYMMDD}`, `{YYYY}`, `{MM}`, `{DD}`, `*`).
    static func matches(_ fileName: String, pattern: String, day: String) -> Bool {
        let expanded = pattern.replacingOccurrences(of: "{YYYYMMDD}", with: day)
            .replacingOccurrences(of: "{YYYY}", with: String(day.prefix(4)))
            .replacingOccurrences(of: "{MM}", with: String(day.dropFirst(4).prefix(2)))
            .replacingOccurrences(of: "{DD}", with: String(day.suffix(2)))
        return fnmatch(expanded, fileName, 0) == 0
    }

    /// The day's files per source (sorted by name), and the sources with none.
    public func arrived(at now: Date) throws -> (files: [String: [String]], missing: [String]) {
        let inbox = URL(fileURLWithPath: root).appendingPathComponent(config.inbox)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: inbox.path)) ?? []
        let day = try day(at: now)
        var files: [String: [String]] = [:]
        var missing: [String] = []
        for source in config.files.keys.sorted() {
            let pattern = config.files[source] ?? ""
            let found = names.filter { Self.matches($0, pattern: pattern, day: day) }.sorted().map { inbox.appendingPathComponent($0).path }
            if found.isEmpty { missing.append(source) } else { files[source] = found }
        }
        return (files, missing)
    }

    /// Whether the local time at `now` is at or past the deadline (`HH:MM`).
    public func isPastDeadline(_ now: Date) throws -> Bool {
        guard let deadline = config.deadline else { return false }
        let parts = deadline.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2 else { throw OpsError(.config, "sensor \(name): deadline must be HH:MM, not '\(deadline)'") }
        let c = try calendar().dateComponents([.hour, .minute], from: now)
        return (c.hour ?? 0) * 60 + (c.minute ?? 0) >= parts[0] * 60 + parts[1]
    }

    /// The selection to build: the configured one, or `source:<source_name>+` per source.
    public var selection: [String] {
        if let select = config.select { return select }
        var seen = Set<String>()
        return config.files.keys.sorted().compactMap { key in
            let sourceName = String(key.split(separator: ".").first ?? "")
            return seen.insert(sourceName).inserted ? "source:\(sourceName)+" : nil
        }
    }

    /// Looks once.
    /// - Parameters:
    ///   - contract: the load contract of a `source.table` key.
    ///   - loader: loads the files (ledger, quarantine, one transaction per file).
    ///   - build: builds a selection and returns its exit code.
    ///   - alert: delivers the lateness alert (the dispatcher keeps it to once per sensor and day).
    public func poke(now: Date, contract: (String) throws -> SourceContract, loader: SourceLoader,
                     build: ([String]) -> Int32, alert: (BuildAlert) -> Void) throws -> SensorOutcome {
        let (files, missing) = try arrived(at: now)
        if !missing.isEmpty {
            if try isPastDeadline(now) {
                let day = try day(at: now)
                alert(BuildAlert(project: name, target: "sensor", runId: "sensor:\(name):\(day)", durationSeconds: 0,
                                 nodes: missing.map { .init(uniqueId: "source.\($0)", status: "late",
                                                            message: "no file for \(day) matching \(config.files[$0] ?? "") by \(config.deadline ?? "")") }))
                return .late(missing: missing)
            }
            return .waiting(missing: missing)
        }
        var options = LoadOptions()
        options.mode = LoadOptions.Mode(rawValue: config.mode) ?? .append
        var loaded: [FileLoadResult] = []
        let archive = URL(fileURLWithPath: root).appendingPathComponent(config.archive ?? (config.inbox + "/archive"))
            .appendingPathComponent(try day(at: now))
        try FileManager.default.createDirectory(at: archive, withIntermediateDirectories: true)
        for source in files.keys.sorted() {
            let paths = files[source] ?? []
            loaded += try loader.load(try contract(source), files: paths, options: options)
            for path in paths {
                let destination = archive.appendingPathComponent((path as NSString).lastPathComponent)
                try? FileManager.default.removeItem(at: destination)
                try FileManager.default.moveItem(atPath: path, toPath: destination.path)
            }
        }
        return .triggered(loaded: loaded, buildExitCode: build(selection))
    }
}

extension OpsCommands {
    /// `opsflow sensor <name>`: pokes until the files arrive and the build ran (or once with
    /// `once`). Exit: the build's code; 0 while waiting with `once`; 1 when late with `once`.
    public static func sensor(options: InvocationOptions, adapters: [AdapterFactory], name: String, once: Bool,
                              pollSeconds: Double, clock: any OpsClock = SystemClock()) -> Int32 {
        do {
            let workspace = try OpsWorkspace(options: options, adapters: adapters)
            defer { workspace.close() }
            let config = try OpsConfig.load(projectDir: workspace.root)
            guard let sensorConfig = config.sensors[name] else {
                throw OpsError(.notFound, "opsflow.yml declares no sensor '\(name)'", hint: "declared: \(config.sensors.keys.sorted().joined(separator: ", "))")
            }
            let sensor = InboxSensor(name: name, config: sensorConfig, root: workspace.root)
            let loader = SourceLoader(adapter: workspace.adapter, state: workspace.state, targetName: workspace.target.name,
                                      clock: clock, log: { say($0) })
            var dispatcher: AlertDispatcher?
            if let alerts = config.alerts {
                // A missing alert channel is reported, never a reason not to load and build.
                do {
                    let (sinks, redactor) = try AlertDispatcher.sinks(alerts, environment: workspace.environment,
                                                                      transport: URLSessionTransport(), clock: clock)
                    dispatcher = AlertDispatcher(sinks: sinks, state: workspace.state, clock: clock, redactor: redactor, log: { say($0) })
                } catch {
                    say("Warning: alerts are off for this sensor: \(error)")
                }
            }
            while true {
                let outcome = try sensor.poke(now: clock.now, contract: { try SourceContract(source: try workspace.source($0)) },
                                              loader: loader, build: { selection in
                    var buildOptions = options
                    buildOptions.select = selection
                    let startedAt = Date()
                    let code = Invocation(options: buildOptions, adapters: adapters).run(.build)
                    // Run history, as an interactive build records itself; never the build's outcome.
                    let recorded = InvocationRecorder.record(projectDir: workspace.root, command: (["build", "--select"] + selection).joined(separator: " "),
                                                             target: workspace.target.name, startedAt: startedAt, exitCode: code)
                    if let warning = recorded.warning { say("Warning: \(warning)", to: .standardError) }
                    return code
                }, alert: { alert in
                    say("Sensor \(name): files late: \(alert.nodes.map(\.uniqueId).joined(separator: ", "))")
                    dispatcher?.dispatch(alert)
                })
                switch outcome {
                case .triggered(_, let code): return code
                case .waiting(let missing):
                    if once { say("Sensor \(name): waiting for \(missing.joined(separator: ", "))"); return 0 }
                case .late:
                    if once { return 1 }
                }
                clock.sleep(seconds: pollSeconds)
            }
        } catch {
            return fail(error)
        }
    }
}
