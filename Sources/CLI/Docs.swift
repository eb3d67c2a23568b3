import ArgumentParser
import Foundation
import Web

/// `opsflow docs generate`: the same docs and lineage as static files.
struct Docs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Project documentation.", subcommands: [Generate.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the docs, lineage, runs and dashboard snapshots as static HTML (default: target/docs).")

        @OptionGroup var common: CommonOptions

        @Option(help: "The output folder.")
        var output: String?

        func run() throws {
            let config = try WebSetup.config(common)
            let folder = output ?? URL(fileURLWithPath: config.targetDir).appendingPathComponent("docs").path
            do {
                let count = try WebApp(config: config).writeStaticSite(to: folder)
                print("Wrote \(count) files to \(folder) (open index.html).")
            } catch let error as WebError {
                throw ValidationError(error.description)
            }
        }
    }
}
