import ArgumentParser
import Foundation
import Ops

/// `opsflow sensor <name>`: waits for the day's raw files, loads them, builds what depends on them.
struct SensorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sensor",
                                                    abstract: "Wait for the day's files in a sensor's inbox, load and archive them, then build their dependants.")
    @OptionGroup var common: CommonOptions

    @Argument(help: "The sensor in opsflow.yml.")
    var name: String

    @Flag(help: "Look once and exit (for the scheduler).")
    var once = false

    @Option(name: .customLong("poll-seconds"), help: "Seconds between looks.")
    var pollSeconds: Double = 60

    func run() throws {
        let code = OpsCommands.sensor(options: common.invocationOptions(), adapters: AdapterRegistry.standard,
                                      name: name, once: once, pollSeconds: pollSeconds)
        if code != 0 { throw ExitCode(code) }
    }
}
