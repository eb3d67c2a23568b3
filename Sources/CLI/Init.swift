import ArgumentParser
import Foundation

/// `opsflow init <name>`: a new project with a SQLite profile, ready to `opsflow build`.
/// `--ci github` also writes (or, without a name, writes for the project in `--project-dir`) the
/// GitHub Actions workflow that builds on BigQuery every morning at 06:00 UTC.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a new project folder, or add a CI workflow to a project.",
        discussion: "opsflow init my_project | opsflow init my_project --ci github | opsflow init --ci github --project-dir path")

    @Argument(help: "The project name (a folder of that name is created). Omit it with --ci to add the workflow to an existing project.")
    var name: String?

    @Option(name: .customLong("ci"), help: "Write a CI workflow: github.")
    var ci: String?

    @Option(name: .customLong("project-dir"), help: "With --ci and no name: the existing project (default: the current folder).")
    var projectDir: String?

    @Option(name: .customLong("ci-target"), help: "The profiles.yml output the workflow builds.")
    var ciTarget: String = "prod"

    @Option(name: .customLong("ci-secret"), help: "The repository secret with the service-account key's JSON.")
    var ciSecret: String = "BIGQUERY_SERVICE_ACCOUNT_KEY"

    @Flag(name: .customLong("force"), help: "Overwrite an existing workflow file.")
    var force = false

    func validate() throws {
        if let ci, ci != "github" {
            throw ValidationError("--ci knows 'github' only, not '\(ci)'.")
        }
        guard let name else {
            guard ci != nil else { throw ValidationError("give a project name, e.g. 'opsflow init my_project', or --ci github to add a workflow") }
            return
        }
        guard name.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil else {
            throw ValidationError("a project name is letters, digits and underscores, starting with a letter: '\(name)' is not")
        }
    }

    func run() throws {
        guard let name else {
            let project = URL(fileURLWithPath: projectDir ?? FileManager.default.currentDirectoryPath)
            guard FileManager.default.fileExists(atPath: project.appendingPathComponent("dbt_project.yml").path) else {
                throw ValidationError("no dbt_project.yml in \(project.path): pass --project-dir, or a name to create a project")
            }
            try writeWorkflow(project: project)
            return
        }
        try createProject(name)
        if ci != nil { try writeWorkflow(project: URL(fileURLWithPath: name)) }
    }

    /// Writes `.github/workflows/opsflow-build.yml` at the repository root above `project`
    /// (or in `project` when it is in no repository yet).
    func writeWorkflow(project: URL) throws {
        let fm = FileManager.default
        let projectURL = project.standardizedFileURL.resolvingSymlinksInPath()
        let root = GitHubWorkflow.repositoryRoot(above: projectURL) ?? projectURL
        var relative = String(projectURL.path.dropFirst(root.path.count)).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        if relative.isEmpty { relative = "." }
        let isOpsFlowRepository = (try? String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8))?
            .contains("name: \"OpsFlow\"") ?? false
        let workflow = GitHubWorkflow(projectPath: relative, target: ciTarget, secretName: ciSecret,
                                      opsflowInRepository: isOpsFlowRepository)
        let file = root.appendingPathComponent(GitHubWorkflow.fileName)
        if fm.fileExists(atPath: file.path) && !force {
            throw ValidationError("\(file.path) exists: pass --force to overwrite it")
        }
        try fm.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(workflow.text.utf8).write(to: file)
        print("Wrote \(file.path): opsflow build --target \(ciTarget) every day at 06:00 UTC.")
        print("Add the repository secret \(ciSecret) (the service-account key's JSON), the repository variable GCP_PROJECT,")
        print("and this output to the profile in \(relative)/profiles.yml if it is not there:\n")
        print(GitHubWorkflow.profileOutput(target: ciTarget, dataset: "analytics"))
    }

    private func createProject(_ name: String) throws {
        let fm = FileManager.default
        guard !fm.fileExists(atPath: name) else {
            throw ValidationError("a folder named '\(name)' already exists")
        }
        var files: [String: String] = [
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
        if ci != nil, let profiles = files["profiles.yml"] {
            // The workflow builds the prod output: write it next to dev, keyfile from the environment.
            files["profiles.yml"] = profiles + GitHubWorkflow.profileOutput(target: ciTarget, dataset: name) + "\n"
        }
        for (path, contents) in files.sorted(by: { $0.key < $1.key }) {
            let url = URL(fileURLWithPath: name).appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url)
        }
        print("Created project '\(name)'. Next: cd \(name) && opsflow build")
    }
}
