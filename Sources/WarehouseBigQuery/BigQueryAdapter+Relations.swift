import Foundation
import Warehouse

// Datasets, tables and views through the REST API (datasets.insert, tables.get, tables.list) and DDL.
extension BigQueryAdapter {
    /// The project of a relation: its database, or the target's `project`.
    func project(of relation: Relation) -> String {
        relation.database.flatMap { $0.isEmpty ? nil : $0 } ?? profile.project
    }

    /// dbt-bigquery's rendering: every part backticked, `` `project`.`dataset`.`identifier` ``.
    public func render(_ relation: Relation) -> String {
        [project(of: relation), relation.schema, relation.identifier].map(quote).joined(separator: ".")
    }

    /// `` `name` ``, with `` ` `` and `\` escaped (GoogleSQL quoted identifiers).
    public func quote(_ identifier: String) -> String {
        "`" + identifier.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "`", with: "\\`") + "`"
    }

    func tableURL(project: String, dataset: String, table: String? = nil) -> String {
        var url = client.apiRoot + "/projects/\(BigQueryClient.segment(project))/datasets/\(BigQueryClient.segment(dataset))"
        if let table { url += "/tables/" + BigQueryClient.segment(table) }
        return url
    }

    /// tables.get, or nil when the table or its dataset does not exist.
    func tableResource(_ relation: Relation) throws -> [String: Any]? {
        try translating(nil) {
            try client.call("GET", tableURL(project: project(of: relation), dataset: relation.schema, table: relation.identifier),
                            tolerated: [404])?.object
        }
    }

    static func kind(_ type: String?) -> Relation.Kind {
        switch type {
        case "VIEW": return .view
        case "MATERIALIZED_VIEW": return .materializedView
        default: return .table
        }
    }

    /// The relation with its kind (tables.get), or nil.
    public func getRelation(database: String?, schema: String, identifier: String) throws -> Relation? {
        let relation = Relation(database: database, schema: schema, identifier: identifier)
        guard let table = try tableResource(relation) else { return nil }
        return Relation(database: project(of: relation), schema: schema, identifier: identifier, kind: Self.kind(table["type"] as? String))
    }

    /// Every table and view of a dataset (tables.list, page by page); empty when the dataset does not exist.
    public func listRelations(schema: String) throws -> [Relation] {
        try translating(nil) {
            var relations: [Relation] = []
            var token: String?
            repeat {
                var url = tableURL(project: profile.project, dataset: schema) + "/tables?maxResults=1000"
                if let token { url += "&pageToken=" + BigQueryClient.segment(token) }
                guard let page = try client.call("GET", url, tolerated: [404])?.object else { return [] }
                for table in page["tables"] as? [[String: Any]] ?? [] {
                    guard let id = (table["tableReference"] as? [String: Any])?["tableId"] as? String else { continue }
                    relations.append(Relation(database: profile.project, schema: schema, identifier: id, kind: Self.kind(table["type"] as? String)))
                }
                token = page["nextPageToken"] as? String
            } while token != nil
            return relations
        }
    }

    /// The columns from the table's schema (tables.get, as dbt-bigquery's `get_columns_in_relation`),
    /// with standard SQL type names; empty when the relation does not exist.
    public func columns(of relation: Relation) throws -> [Column] {
        guard let table = try tableResource(relation) else { return [] }
        let fields = (table["schema"] as? [String: Any])?["fields"] as? [[String: Any]] ?? []
        return fields.map { Column(name: $0["name"] as? String ?? "", dataType: BigQueryValues.typeName($0)) }
    }

    /// Creates the dataset when missing (datasets.insert in the profile's location; "already
    /// exists" is success, as dbt-bigquery's `create_dataset(exists_ok=True)`).
    public func createSchema(_ schema: String) throws {
        if !rememberDataset(schema) { return }
        do {
            try translating(nil) {
                var resource: [String: Any] = ["datasetReference": ["projectId": profile.project, "datasetId": schema]]
                if let location = profile.location { resource["location"] = location }
                _ = try client.call("POST", client.apiRoot + "/projects/\(BigQueryClient.segment(profile.project))/datasets",
                                    json: resource, tolerated: [409])
            }
        } catch {
            forgetDataset(schema)
            throw error
        }
    }

    /// Drops a table or a view if it exists (`DROP TABLE`/`DROP VIEW IF EXISTS` after tables.get
    /// says which it is).
    public func dropRelation(_ relation: Relation) throws {
        guard let table = try tableResource(relation) else { return }
        let keyword: String
        switch Self.kind(table["type"] as? String) {
        case .view: keyword = "view"
        case .materializedView: keyword = "materialized view"
        default: keyword = "table"
        }
        try execute("drop \(keyword) if exists \(render(relation))")
    }

    /// Renames a table as dbt-bigquery does: a copy job (`WRITE_TRUNCATE`) to the new name, then
    /// tables.delete of the old one. Views cannot be renamed in BigQuery (dbt-bigquery refuses too).
    public func renameRelation(_ from: Relation, to: Relation) throws {
        guard let existing = try tableResource(from) else {
            throw WarehouseError(.notFound, "cannot rename \(from): it does not exist")
        }
        if Self.kind(existing["type"] as? String) != .table {
            throw WarehouseError(.unsupported, "BigQuery cannot rename the view \(from); build it under the new name instead")
        }
        func reference(_ relation: Relation) -> [String: Any] {
            ["projectId": project(of: relation), "datasetId": relation.schema, "tableId": relation.identifier]
        }
        var configuration: [String: Any] = ["copy": [
            "sourceTable": reference(from), "destinationTable": reference(to),
            "writeDisposition": "WRITE_TRUNCATE", "createDisposition": "CREATE_IF_NEEDED",
        ]]
        let labels = labels
        if !labels.isEmpty { configuration["labels"] = labels }
        try translating("-- copy \(render(from)) to \(render(to))") {
            _ = try client.runJob(configuration: configuration)
            _ = try client.call("DELETE", tableURL(project: project(of: from), dataset: from.schema, table: from.identifier), tolerated: [404])
        }
    }

    /// `CREATE TABLE` with the columns' logical types (BigQuery's own names; empty means STRING).
    public func createTable(_ relation: Relation, columns: [Column]) throws {
        guard !columns.isEmpty else { throw WarehouseError(.query, "cannot create \(relation) without columns") }
        let definitions = columns.map { "\(quote($0.name)) \(Self.columnType($0.dataType))" }
        try execute("create table \(render(relation)) (\(definitions.joined(separator: ", ")))")
    }

    /// A logical type as BigQuery DDL accepts it.
    static func columnType(_ logical: String) -> String {
        let upper = logical.trimmingCharacters(in: .whitespaces).uppercased()
        switch upper {
        case "": return "STRING"
        case "INTEGER", "INT", "BIGINT", "SMALLINT": return "INT64"
        case "FLOAT", "DOUBLE", "REAL", "DOUBLE PRECISION": return "FLOAT64"
        case "BOOLEAN": return "BOOL"
        case "TEXT", "VARCHAR": return "STRING"
        default: return upper
        }
    }

    /// Loads rows with one load job per batch of at most ~64 MiB (a multipart upload of
    /// newline-delimited JSON, `WRITE_APPEND`), not row by row: seeds and `opsflow load` use it.
    /// - Returns: the number of rows loaded.
    /// - Throws: ``WarehouseError`` with BigQuery's reason and message; a failed job loads nothing.
    public func insert(into relation: Relation, columns: [String], rows: [[Cell]]) throws -> Int {
        guard !rows.isEmpty else { return 0 }
        var batch = Data()
        var loaded = 0
        var pending = 0
        for (index, row) in rows.enumerated() {
            guard row.count == columns.count else {
                throw WarehouseError(.query, "row \(index + 1) has \(row.count) values for \(columns.count) columns of \(relation)")
            }
            batch.append(try BigQueryValues.ndjsonLine(columns: columns, row: row))
            batch.append(10)
            pending += 1
            if batch.count >= 64 << 20 {
                try load(relation, data: batch)
                loaded += pending
                batch = Data()
                pending = 0
            }
        }
        if pending > 0 { try load(relation, data: batch) }
        return loaded + pending
    }

    func load(_ relation: Relation, data: Data) throws {
        let configuration: [String: Any] = {
            var load: [String: Any] = [
                "destinationTable": ["projectId": project(of: relation), "datasetId": relation.schema, "tableId": relation.identifier],
                "sourceFormat": "NEWLINE_DELIMITED_JSON", "writeDisposition": "WRITE_APPEND",
            ]
            load["createDisposition"] = "CREATE_NEVER"
            var configuration: [String: Any] = ["load": load]
            let labels = labels
            if !labels.isEmpty { configuration["labels"] = labels }
            return configuration
        }()
        try translating("-- load job into \(render(relation))") {
            _ = try client.runJob(configuration: configuration, upload: (data, "application/octet-stream"))
        }
    }

    /// `CREATE OR REPLACE TABLE … AS (…)`: BigQuery swaps the table in atomically, and a failing
    /// query leaves the old table as it was. A view of the same name is dropped first.
    public func replaceTable(_ target: Relation, withSelect sql: String) throws -> Materialized {
        try buildTable(target, sql: sql, options: "")
    }

    /// `CREATE OR REPLACE VIEW … AS …`; a table of the same name is dropped first.
    public func replaceView(_ target: Relation, withSelect sql: String) throws -> Materialized {
        try buildView(target, sql: sql, options: "")
    }

    func buildTable(_ target: Relation, sql: String, options: String, dropFirst: Bool = false) throws -> Materialized {
        var executed: [String] = []
        if let existing = try getRelation(database: target.database, schema: target.schema, identifier: target.identifier),
           existing.kind != .table || dropFirst {
            try dropRelation(existing)
            executed.append("-- dropped \(render(target)) (\(existing.kind?.rawValue ?? "relation"))")
        }
        let create = "create or replace table \(render(target))\n\(options)as (\n\(Self.trimmed(sql))\n)"
        executed.append(create)
        return Materialized(response: try execute(create), executedSQL: executed)
    }

    func buildView(_ target: Relation, sql: String, options: String) throws -> Materialized {
        var executed: [String] = []
        if let existing = try getRelation(database: target.database, schema: target.schema, identifier: target.identifier),
           existing.kind != .view {
            try dropRelation(existing)
            executed.append("-- dropped \(render(target)) (\(existing.kind?.rawValue ?? "relation"))")
        }
        let create = "create or replace view \(render(target))\n\(options)as \(Self.trimmed(sql))"
        executed.append(create)
        return Materialized(response: try execute(create), executedSQL: executed)
    }

    /// `sql` without surrounding white space and trailing semicolons.
    static func trimmed(_ sql: String) -> String {
        var text = Substring(sql)
        while let last = text.last, last == ";" || last.isWhitespace { text = text.dropLast() }
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        return String(text)
    }
}
