import ArgumentParser
import Foundation
import SQL

/// `opsflow sql translate`: shows the SQLite SQL the embedded warehouse runs for BigQuery SQL.
struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql", abstract: "Work with BigQuery SQL on the embedded warehouse.",
        subcommands: [Translate.self])

    struct Translate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Translate BigQuery SQL (a file, or -e) to the SQLite SQL OpsFlow runs, with the output column types.")

        @Argument(help: "A .sql file with BigQuery SQL (compiled: no Jinja).")
        var file: String?

        @Option(name: [.customShort("e"), .customLong("sql")], help: "The BigQuery SQL to translate.")
        var sql: String?

        func validate() throws {
            if (file == nil) == (sql == nil) { throw ValidationError("give either a file or -e \"<sql>\".") }
        }

        func run() throws {
            let text: String
            if let sql {
                text = sql
            } else if let file {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw ValidationError("cannot read \(file)")
                }
                text = String(decoding: data, as: UTF8.self)
            } else {
                return
            }
            do {
                let translation = try SQLTranslator.translate(text)
                print(translation.sql)
                if !translation.columns.isEmpty {
                    print("-- columns: " + translation.columns.map { "\($0.name) \($0.type?.declaredType ?? "?")" }.joined(separator: ", "))
                }
            } catch let error as SQLError {
                FileHandle.standardError.write(Data((error.formatted(sql: text, file: file) + "\n").utf8))
                throw ExitCode(2)
            }
        }
    }
}
