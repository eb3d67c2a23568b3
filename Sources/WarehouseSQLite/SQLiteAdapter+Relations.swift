import Foundation
import GRDB
import Warehouse

// MARK: - Naming

extension SQLiteAdapter {
    /// The name of a relation's table or view in `main`: `schema.identifier` (just the identifier
    /// when the schema is empty). The database part is ignored: one file is one database.
    public func physicalName(_ relation: Relation) -> String {
        relation.schema.isEmpty ? relation.identifier : "\(relation.schema).\(relation.identifier)"
    }

    /// The relation as written in SQL: its ``physicalName(_:)`` as one double-quoted identifier,
    /// e.g. `"dev_staging.stg_orders"`.
    public func render(_ relation: Relation) -> String {
        quote(physicalName(relation))
    }

    /// `identifier` double-quoted, embedded double quotes doubled
    /// (<https://www.sqlite.org/lang_keywords.html>); backtick-quoted when the models are
    /// BigQuery SQL (SQLite reads backticks as identifier quotes too, and BigQuery reads double
    /// quotes as a string).
    public func quote(_ identifier: String) -> String {
        if translatesBigQuery { return "`" + identifier.replacingOccurrences(of: "`", with: "\\`") + "`" }
        return "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

// MARK: - Introspection

extension SQLiteAdapter {
    /// The table or view `schema.identifier`, or nil.
    ///
    /// Matched as SQLite resolves names — ASCII letters without regard to case — so that a
    /// relation that SQL would find (or collide with) is found; the returned relation carries
    /// the case stored in the file.
    public func getRelation(database: String?, schema: String, identifier: String) throws -> Relation? {
        let wanted = physicalName(Relation(schema: schema, identifier: identifier))
        return try withReader { db in
            try Self.lookup(wanted, in: db).map { found in
                Self.relation(named: found.name, kind: found.kind, schemaLength: schema.utf8.count, schemaEmpty: schema.isEmpty, database: database)
            }
        }
    }

    /// Every table and view whose name starts with `schema.`, sorted by name.
    ///
    /// The prefix is compared byte for byte with ASCII case folded (SQLite's own rule for
    /// names); `_` and `%` are ordinary characters (no `LIKE`).
    public func listRelations(schema: String) throws -> [Relation] {
        let prefix = Array((schema + ".").utf8)
        return try withReader { db in
            let rows = try Row.fetchAll(db, sql: "SELECT type, name FROM sqlite_schema WHERE type IN ('table', 'view') ORDER BY name")
            return rows.compactMap { row -> Relation? in
                guard let name = row["name"] as String?, let type = row["type"] as String? else { return nil }
                guard Self.hasPrefixIgnoringASCIICase(Array(name.utf8), prefix) else { return nil }
                return Self.relation(named: name, kind: type == "view" ? .view : .table, schemaLength: schema.utf8.count, schemaEmpty: false, database: nil)
            }
        }
    }

    /// The schemas in the file: those created with ``createSchema(_:)`` and those that hold a
    /// relation (the part of its name before the first dot), sorted. Not in the `Adapter`
    /// protocol (dbt's `list_schemas`).
    public func listSchemas() throws -> [String] {
        try withReader { db in
            var schemas = Set(try String.fetchAll(db, sql: "SELECT name FROM \(Self.schemasTable)"))
            for name in try String.fetchAll(db, sql: "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view')") {
                if let dot = name.firstIndex(of: "."), dot != name.startIndex { schemas.insert(String(name[..<dot])) }
            }
            return schemas.sorted()
        }
    }

    /// The columns of a table or view in order, with logical types (see ``SQLiteTypes``);
    /// empty when the relation does not exist. Hidden columns of virtual tables are left out.
    ///
    /// A column without a declared type (an expression in `CREATE TABLE … AS` or a view) has
    /// the logical type of its first non-null value in a table, `""` in a view.
    public func columns(of relation: Relation) throws -> [Warehouse.Column] {
        let name = physicalName(relation)
        return try withReader { db in
            guard let found = try Self.lookup(name, in: db) else { return [] }
            let rows = try Row.fetchAll(db, sql: "SELECT name, type, hidden FROM pragma_table_xinfo(?)", arguments: [found.name])
            var columns: [Warehouse.Column] = []
            for row in rows {
                let hidden: Int = row["hidden"] ?? 0
                if hidden == 1 { continue }
                let columnName: String = row["name"] ?? ""
                let declared: String = row["type"] ?? ""
                var logical = SQLiteTypes.logicalType(forDeclared: declared)
                if declared.isEmpty, found.kind == .table {
                    logical = try Self.sampledType(of: columnName, in: found.name, db: db)
                }
                columns.append(Warehouse.Column(name: columnName, dataType: logical))
            }
            return columns
        }
    }

    // MARK: - DDL

    /// Records `schema` as existing (idempotent). SQLite needs nothing else: a schema is a name
    /// prefix.
    public func createSchema(_ schema: String) throws {
        try withWriter { db in
            try db.execute(sql: "INSERT OR IGNORE INTO \(Self.schemasTable) (name) VALUES (?)", arguments: [schema])
        }
    }

    /// Drops every relation of `schema` and forgets it (dbt's `drop_schema`). Not in the
    /// `Adapter` protocol.
    public func dropSchema(_ schema: String) throws {
        try transaction {
            for relation in try listRelations(schema: schema) {
                try dropRelation(relation)
            }
            try withWriter { db in
                try db.execute(sql: "DELETE FROM \(Self.schemasTable) WHERE name = ?", arguments: [schema])
            }
        }
    }

    /// Drops the table or view if it exists, whichever it is in the file (the relation's `kind`
    /// is not trusted).
    public func dropRelation(_ relation: Relation) throws {
        let name = physicalName(relation)
        try withWriter { db in
            guard let found = try Self.lookup(name, in: db) else { return }
            try db.execute(sql: "DROP \(found.kind == .view ? "VIEW" : "TABLE") IF EXISTS \(quote(found.name))")
        }
    }

    /// Renames a table or view. Views that use the old name keep using the *name* (they are not
    /// rewritten, see ``init(path:schema:dialect:)``). SQLite cannot rename a view, so a view is
    /// re-created under the new name from its stored definition, in one transaction.
    /// - Throws: ``WarehouseError`` `notFound` when `from` does not exist; `query` when `to` exists.
    public func renameRelation(_ from: Relation, to: Relation) throws {
        let oldName = physicalName(from)
        let newName = physicalName(to)
        try transaction {
            try withWriter { db in
                guard let found = try Self.lookup(oldName, in: db) else {
                    throw WarehouseError(.notFound, "cannot rename \(from): it does not exist")
                }
                if found.kind == .table {
                    try db.execute(sql: "ALTER TABLE \(quote(found.name)) RENAME TO \(quote(newName))")
                    return
                }
                guard let definition = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE type = 'view' AND name = ?", arguments: [found.name]),
                      let body = SQLiteViewDefinition.bodyAfterName(definition) else {
                    throw WarehouseError(.unsupported, "cannot rename view \(from): its definition could not be read")
                }
                try db.execute(sql: "DROP VIEW \(quote(found.name))")
                try db.execute(sql: "CREATE VIEW \(quote(newName)) \(body)")
            }
        }
    }

    /// Creates a table with the given columns, each declared with the SQLite type of its logical
    /// type (``SQLiteTypes/declaredType(forLogical:)``) so that ``columns(of:)`` reads it back.
    /// - Throws: ``WarehouseError`` when there are no columns or the table exists.
    public func createTable(_ relation: Relation, columns: [Warehouse.Column]) throws {
        guard !columns.isEmpty else {
            throw WarehouseError(.query, "cannot create \(relation) without columns")
        }
        let definitions = columns.map { column -> String in
            let declared = SQLiteTypes.declaredType(forLogical: column.dataType)
            return declared.isEmpty ? quote(column.name) : "\(quote(column.name)) \(declared)"
        }
        let sql = "CREATE TABLE \(render(relation)) (\(definitions.joined(separator: ", ")))"
        try withWriter { db in try db.execute(sql: sql) }
    }
}

// MARK: - Helpers

extension SQLiteAdapter {
    /// Runs `work` on the connection of this thread's open transaction, or on a reader.
    func withReader<T>(_ work: (Database) throws -> T) throws -> T {
        if transactions.current(for: self) != nil {
            return try withWriter(work)
        }
        try checkOpen()
        do {
            return try pool.read(work)
        } catch let error as DatabaseError {
            throw Self.warehouseError(error)
        }
    }

    /// The stored name and kind of the table or view SQLite resolves `name` to.
    static func lookup(_ name: String, in db: Database) throws -> (name: String, kind: Relation.Kind)? {
        // `=` under NOCASE folds ASCII only, exactly as SQLite matches identifiers.
        guard let row = try Row.fetchOne(db, sql: "SELECT type, name FROM sqlite_schema WHERE type IN ('table', 'view') AND name = ? COLLATE NOCASE", arguments: [name]),
              let stored = row["name"] as String?, let type = row["type"] as String? else {
            return nil
        }
        return (stored, type == "view" ? .view : .table)
    }

    /// Splits a stored name back into schema and identifier, keeping the stored case.
    static func relation(named name: String, kind: Relation.Kind, schemaLength: Int, schemaEmpty: Bool, database: String?) -> Relation {
        let bytes = Array(name.utf8)
        guard !schemaEmpty, schemaLength < bytes.count else {
            return Relation(database: database, schema: "", identifier: name, kind: kind)
        }
        let schema = String(decoding: bytes[..<schemaLength], as: UTF8.self)
        let identifier = String(decoding: bytes[(schemaLength + 1)...], as: UTF8.self)
        return Relation(database: database, schema: schema, identifier: identifier, kind: kind)
    }

    static func hasPrefixIgnoringASCIICase(_ bytes: [UInt8], _ prefix: [UInt8]) -> Bool {
        guard bytes.count >= prefix.count else { return false }
        for index in prefix.indices where asciiLower(bytes[index]) != asciiLower(prefix[index]) {
            return false
        }
        return true
    }

    private static func asciiLower(_ byte: UInt8) -> UInt8 {
        (byte >= 65 && byte <= 90) ? byte + 32 : byte
    }

    /// The logical type of a column's first non-null value (`""` when all are null).
    static func sampledType(of column: String, in table: String, db: Database) throws -> String {
        let quotedColumn = "\"" + column.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let quotedTable = "\"" + table.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let type = try String.fetchOne(db, sql: "SELECT typeof(\(quotedColumn)) FROM \(quotedTable) WHERE \(quotedColumn) IS NOT NULL LIMIT 1")
        switch type {
        case "integer": return "INT64"
        case "real": return "FLOAT64"
        case "text": return "STRING"
        case "blob": return "BYTES"
        default: return ""
        }
    }
}
