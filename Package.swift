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
        // A small HTTP server on BSD sockets and Swift concurrency (no SwiftNIO, no BoringSSL).
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
        // RS256 for BigQuery service-account JWTs (only WarehouseBigQuery links it).
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    ],
    targets: [
        // Pure template engine (Jinja2-compatible). No dependencies, no I/O.
        .target(name: "Jinja"),
        // dbt project files: dbt_project.yml, profiles.yml, property files, manifest, graph, selection.
        .target(name: "Project", dependencies: [.product(name: "Yams", package: "Yams")]),
        // The adapter protocol and warehouse-neutral values (Relation, Column, QueryResult).
        .target(name: "Warehouse"),
        // BigQuery SQL → SQLite SQL: tokenizer, parser, AST, generators. Pure, no dependencies, no I/O.
        .target(name: "SQL"),
        // A synchronous HTTP client over Foundation's URLSession: requests, answers, errors, secrets.
        .target(name: "HTTPClient"),
        // The embedded SQLite warehouse (GRDB).
        .target(name: "WarehouseSQLite", dependencies: [
            "Warehouse", "SQL", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // libpq, PostgreSQL's C client library (system package, found through pkg-config).
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // The PostgreSQL warehouse (libpq).
        .target(name: "WarehousePostgres", dependencies: ["Warehouse", "SQL", "CLibPQ"]),
        // The BigQuery warehouse: REST API v2 over Foundation's URLSession, RS256 from swift-crypto.
        .target(name: "WarehouseBigQuery", dependencies: [
            "Warehouse", "HTTPClient", .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ], exclude: ["README.md"]),
        // Test support: the one adapter conformance suite every adapter's tests run.
        .target(name: "WarehouseConformance", dependencies: ["Warehouse"]),
        // The dbt Jinja context and node compilation.
        .target(name: "Compile", dependencies: ["Jinja", "Project", "Warehouse", .product(name: "Yams", package: "Yams")]),
        // Graph execution: materializations, seeds, data tests, events, artifacts.
        .target(name: "Run", dependencies: [
            "Compile", "Project", "Warehouse", .product(name: "CSV", package: "CSV.swift"),
        ]),
        // What runs around a build: loads, sensors, schedules, alerts, reverse-ETL syncs, run history.
        .target(name: "Ops", dependencies: [
            "Run", "Project", "Compile", "Warehouse", "HTTPClient",
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "CSV", package: "CSV.swift"),
            .product(name: "Yams", package: "Yams"),
        ]),
        // Deterministic generator of the OpsFlow Analytics raw extracts.
        .target(name: "Demo"),
        // `opsflow serve` and `opsflow docs generate`: lineage, docs, runs and dashboards as HTML + SVG.
        .target(name: "Web", dependencies: [
            "Jinja", "Warehouse", "WarehouseSQLite", .product(name: "Yams", package: "Yams"),
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "FlyingFox", package: "FlyingFox"),
        ], exclude: ["API.md"]),
        // `opsflow` itself: argument parsing only.
        .executableTarget(name: "CLI", dependencies: [
            "Run", "Compile", "Project", "Warehouse", "WarehouseSQLite", "WarehousePostgres", "WarehouseBigQuery", "Demo", "Web", "SQL", "Ops",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Parse+render benchmark against Python Jinja2 (bench/jinja_bench.sh).
        .executableTarget(name: "JinjaBench", dependencies: ["Jinja"], path: "bench/JinjaBench"),
        // Test support shared by the adapter suites: the built binary run on copies of the example.
        .target(name: "OpsFlowTestSupport", path: "Tests/OpsFlowTestSupport"),
        .testTarget(name: "JinjaTests", dependencies: ["Jinja"], resources: [.copy("Inputs")]),
        .testTarget(name: "ProjectTests", dependencies: ["Project"]),
        .testTarget(name: "SQLTests", dependencies: ["SQL"]),
        // BigQuery SQL translated to PostgreSQL, run on a real PostgreSQL 15 server through psql.
        .testTarget(name: "SQLPostgresTests", dependencies: ["SQL"], exclude: ["Fixtures"]),
        .testTarget(name: "WarehouseSQLiteTests", dependencies: ["WarehouseSQLite", "Warehouse", "WarehouseConformance"]),
        .testTarget(name: "WarehousePostgresTests", dependencies: ["WarehousePostgres", "Warehouse", "WarehouseConformance", "OpsFlowTestSupport"]),
        .testTarget(name: "WarehouseBigQueryTests", dependencies: ["WarehouseBigQuery", "Warehouse", "WarehouseConformance", "HTTPClient", "OpsFlowTestSupport"]),
        .testTarget(name: "CompileTests", dependencies: ["Compile", "Project", "Jinja", "Warehouse", "WarehouseSQLite"],
                    exclude: ["Fixtures", "Golden"]),
        .testTarget(name: "RunTests", dependencies: ["Run", "Compile", "Project", "Warehouse", "WarehouseSQLite", "Demo"]),
        .testTarget(name: "WebTests", dependencies: ["Web", "Warehouse", "WarehouseSQLite"]),
        // End-to-end tests of the built `opsflow` binary; depending on CLI makes `swift build --build-tests` build it.
        .testTarget(name: "CLITests", dependencies: ["CLI"], exclude: ["Fixtures"]),
        .testTarget(name: "OpsTests", dependencies: [
            "Ops", "Run", "Project", "Warehouse", "WarehouseSQLite", "HTTPClient", .product(name: "GRDB", package: "GRDB.swift"),
        ], exclude: ["Support/http_server.py", "Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
