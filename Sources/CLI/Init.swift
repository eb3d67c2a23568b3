import ArgumentParser
import Foundation

/// `opsflow init <name>`: a new project with a SQLite profile, ready to `opsflow build`.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a new project folder.")

    @Argument(help: "The project name (a folder of that name is created).")
    var name: String

    func validate() throws {
        guard name.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil else {
            throw ValidationError("a project name is letters, digits and underscores, starting with a letter: '\(name)' is not")
        }
    }

    func run() throws {
        let fm = FileManager.default
        guard !fm.fileExists(atPath: name) else {
            throw ValidationError("a folder named '\(name)' already exists")
        }
        let files: [String: String] = [
            "dbt_project.yml": """
                name: \(name)
                version: '1.0.0'
                config-version: 2
                profile: \(name)

                model-paths: ["models"]
                seed-paths: ["seeds"]
                test-paths: ["tests"]
                macro-paths: ["macros"]

                models:
                  \(name):
                    +materialized: view

                """,
            "profiles.yml": """
                \(name):
                  target: dev
                  outputs:
                    dev:
                      type: sqlite
                      path: \(name).sqlite
                      schema: dev
                      threads: 4

                """,
            "models/example/my_first_model.sql": "select 1 as id\nunion all\nselect 2 as id\n",
            "models/example/schema.yml": """
                version: 2

                models:
                  - name: my_first_model
                    description: A starter model
                    columns:
                      - name: id
                        data_tests:
                          - unique
                          - not_null

                """,
            "seeds/.gitkeep": "", "tests/.gitkeep": "", "macros/.gitkeep": "",
            ".gitignore": "target/\n*.sqlite*\n",
        ]
        for (path, contents) in files.sorted(by: { $0.key < $1.key }) {
            let url = URL(fileURLWithPath: name).appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url)
        }
        print("Created project '\(name)'. Next: cd \(name) && opsflow build")
    }
}
