import Foundation

/// The GitHub Actions workflow `opsflow init --ci github` writes: build the project on BigQuery
/// every morning at 06:00 UTC, with the service-account key from a repository secret.
///
/// GitHub reads workflows only from `.github/workflows/` at the repository's root, and runs
/// `schedule` cron expressions in UTC (docs.github.com, "Events that trigger workflows").
struct GitHubWorkflow {
    /// The project folder relative to the repository root (`.` when it is the root).
    var projectPath: String
    /// The profiles.yml output to build (`prod`).
    var target: String
    /// The repository secret holding the service-account key's JSON.
    var secretName: String
    /// Whether the repository is OpsFlow's own (build the binary from the checkout) or a project
    /// repository (build it from the Git URL in the repository variable `OPSFLOW_GIT_URL`).
    var opsflowInRepository: Bool

    static let fileName = ".github/workflows/opsflow-build.yml"

    var text: String {
        // Built line by line: Swift's multi-line interpolation does not indent inserted lines,
        // and YAML is all indentation.
        let step = "      "
        let install: [String] = opsflowInRepository
            ? [
                "- name: Build opsflow from this repository",
                "  run: swift build -c release --product opsflow && echo \"$PWD/.build/release\" >> \"$GITHUB_PATH\"",
            ]
            : [
                "- name: Build opsflow",
                "  env:",
                "    OPSFLOW_GIT_URL: ${{ vars.OPSFLOW_GIT_URL }}",
                "    OPSFLOW_REF: ${{ vars.OPSFLOW_REF || 'main' }}",
                "  run: |",
                "    git clone --depth 1 --branch \"$OPSFLOW_REF\" \"$OPSFLOW_GIT_URL\" \"$RUNNER_TEMP/opsflow\"",
                "    swift build -c release --product opsflow --package-path \"$RUNNER_TEMP/opsflow\"",
                "    echo \"$RUNNER_TEMP/opsflow/.build/release\" >> \"$GITHUB_PATH\"",
            ]
        let prefix = projectPath == "." ? "" : projectPath + "/"
        let steps: [String] = ["- uses: actions/checkout@v4"] + install + [
            "- name: Write the service-account key",
            "  env:",
            "    KEY_JSON: ${{ secrets.\(secretName) }}",
            "  run: |",
            "    umask 077",
            "    printf '%s' \"$KEY_JSON\" > \"$RUNNER_TEMP/bigquery-key.json\"",
            "    echo \"BIGQUERY_KEYFILE=$RUNNER_TEMP/bigquery-key.json\" >> \"$GITHUB_ENV\"",
            "- name: opsflow build --target \(target)",
            "  working-directory: \(projectPath)",
            "  run: opsflow build --target \(target)",
            "- name: Keep the run's artifacts",
            "  if: always()",
            "  uses: actions/upload-artifact@v4",
            "  with:",
            "    name: opsflow-target",
            "    path: |",
            "      \(prefix)target/run_results.json",
            "      \(prefix)target/manifest.json",
            "    if-no-files-found: ignore",
            "- name: Remove the key",
            "  if: always()",
            "  run: rm -f \"$RUNNER_TEMP/bigquery-key.json\"",
        ]
        let header = """
            # Written by `opsflow init --ci github`. Builds the project on BigQuery every morning at
            # 06:00 UTC (GitHub runs schedules in UTC), before the 07:00 shift planning.
            # Needs the repository secret \(secretName) (the service-account key's JSON) and the
            # repository variable GCP_PROJECT (the Google Cloud project to build in).
            name: opsflow build

            on:
              schedule:
                - cron: "0 6 * * *"
              workflow_dispatch: {}

            # One build at a time; a manual run waits for the scheduled one instead of racing it.
            concurrency:
              group: opsflow-\(target)
              cancel-in-progress: false

            permissions:
              contents: read

            jobs:
              build:
                runs-on: ubuntu-latest
                timeout-minutes: 60
                container: swift:6.3
                env:
                  GCP_PROJECT: ${{ vars.GCP_PROJECT }}
                defaults:
                  run:
                    shell: bash
                steps:

            """
        return header + steps.map { step + $0 }.joined(separator: "\n") + "\n"
    }

    /// The profiles.yml output the workflow expects (keyfile from the `BIGQUERY_KEYFILE` variable
    /// the workflow sets), as dbt-bigquery's `service-account` method writes it.
    static func profileOutput(target: String, dataset: String) -> String {
        """
            \(target):
              type: bigquery
              method: service-account
              keyfile: "{{ env_var('BIGQUERY_KEYFILE') }}"
              project: "{{ env_var('GCP_PROJECT') }}"
              dataset: \(dataset)
              location: EU
              threads: 8
              job_execution_timeout_seconds: 600
              job_retries: 2
              maximum_bytes_billed: 100000000000
        """
    }

    /// The repository root above `directory` (the nearest folder with `.git`), or nil.
    static func repositoryRoot(above directory: URL) -> URL? {
        var current = directory.standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: current.appendingPathComponent(".git").path) { return current }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { return nil }
            current = parent
        }
    }
}
