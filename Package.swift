// swift-tools-version: 6.0
// OpsFlow: a native dbt-style analytics-engineering engine.
// Core targets (Jinja, SQL-free Project, Compile, Run) stay light; drivers live in their own targets.
import PackageDescription

let package = Package(
    name: "OpsFlow",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "opsflow", targets: ["CLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.0"),
    ],
    targets: [
        // Pure template engine (Jinja2-compatible). No dependencies, no I/O.
        .target(name: "Jinja"),
        // dbt project files: dbt_project.yml, profiles.yml, property files, manifest, graph, selection.
        .target(name: "Project", dependencies: [.product(name: "Yams", package: "Yams")]),
        // The adapter protocol and warehouse-neutral values (Relation, Column, QueryResult).
        .target(name: "Warehouse"),
        // The embedded SQLite warehouse (GRDB).
        .target(name: "WarehouseSQLite", dependencies: [
            "Warehouse", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // The dbt Jinja context and node compilation.
        .target(name: "Compile", dependencies: ["Jinja", "Project", "Warehouse", .product(name: "Yams", package: "Yams")]),
        // Graph execution: materializations, seeds, data tests, events, artifacts.
        .target(name: "Run", dependencies: [
            "Compile", "Project", "Warehouse", .product(name: "CSV", package: "CSV.swift"),
        ]),
        // What runs around a build: loads, sensors, schedules, alerts, reverse-ETL syncs, run history.
        .target(name: "Ops", dependencies: [
            "Run", "Project", "Compile", "Warehouse",
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "CSV", package: "CSV.swift"),
            .product(name: "Yams", package: "Yams"),
        ]),
        // Deterministic generator of the OpsFlow Analytics raw extracts.
        .target(name: "Demo"),
        // `opsflow` itself: argument parsing only.
        .executableTarget(name: "CLI", dependencies: [
            "Run", "Compile", "Project", "Warehouse", "WarehouseSQLite", "Demo", "Ops",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Parse+render benchmark against Python Jinja2 (bench/jinja_bench.sh).
        .executableTarget(name: "JinjaBench", dependencies: ["Jinja"], path: "bench/JinjaBench"),
        .testTarget(name: "JinjaTests", dependencies: ["Jinja"], resources: [.copy("Inputs")]),
        .testTarget(name: "ProjectTests", dependencies: ["Project"]),
        .testTarget(name: "WarehouseSQLiteTests", dependencies: ["WarehouseSQLite", "Warehouse"]),
        .testTarget(name: "CompileTests", dependencies: ["Compile", "Project", "Jinja", "Warehouse", "WarehouseSQLite"],
                    exclude: ["Fixtures", "Golden"]),
        .testTarget(name: "RunTests", dependencies: ["Run", "Compile", "Project", "Warehouse", "WarehouseSQLite", "Demo"]),
        .testTarget(name: "CLITests", dependencies: []),
        .testTarget(name: "OpsTests", dependencies: [
            "Ops", "Run", "Project", "Warehouse", "WarehouseSQLite", .product(name: "GRDB", package: "GRDB.swift"),
        ], exclude: ["Support/http_server.py", "Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
