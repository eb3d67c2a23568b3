import Foundation
import Run
import Warehouse
import WarehouseBigQuery
import WarehousePostgres
import WarehouseSQLite

/// The warehouses this binary can talk to. Drivers live in their own targets; only the CLI
/// links them all.
enum AdapterRegistry {
    static let standard: [AdapterFactory] = [
        AdapterFactory(type: "sqlite") { settings, projectDir in
            // dbt-sqlite users write `path` (or the file in `database`); relative to the project.
            let file = settings["path"] ?? settings["database"] ?? "opsflow.sqlite"
            let path = file.hasPrefix("/") ? file : URL(fileURLWithPath: projectDir).appendingPathComponent(file).path
            return try SQLiteAdapter(path: path, schema: settings["schema"], dialect: settings["dialect"] ?? "sqlite")
        },
        // dbt-postgres's profile keys (host, port, user, password, dbname, schema, …).
        AdapterFactory(type: "postgres") { settings, _ in
            try PostgresAdapter(settings: settings)
        },
        // dbt-bigquery's profile keys (method, project, dataset, keyfile, location, …) plus
        // api_endpoint and token_endpoint (a local emulator); a relative keyfile is relative to the project.
        AdapterFactory(type: "bigquery") { settings, projectDir in
            var settings = settings
            if let keyfile = settings["keyfile"], !keyfile.hasPrefix("/"), !keyfile.hasPrefix("~") {
                settings["keyfile"] = URL(fileURLWithPath: projectDir).appendingPathComponent(keyfile).path
            }
            return try BigQueryAdapter(settings: settings)
        },
    ]
}
