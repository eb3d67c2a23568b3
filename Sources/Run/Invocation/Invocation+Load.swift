import Foundation
import Project
import Warehouse

/// Rows for one source table, produced in batches.
public struct SourceTableLoad: Sendable {
    public var sourceName: String
    public var tableName: String
    public var columns: [Column]
    /// Calls `emit` with batches of rows (each row has `columns.count` cells).
    public var produce: @Sendable (_ emit: ([[Cell]]) throws -> Void) throws -> Void

    public init(sourceName: String, tableName: String, columns: [Column],
                produce: @escaping @Sendable (_ emit: ([[Cell]]) throws -> Void) throws -> Void) {
        self.sourceName = sourceName
        self.tableName = tableName
        self.columns = columns
        self.produce = produce
    }
}

extension Invocation {
    /// Replaces source tables with the given rows, each table in one transaction, where the
    /// project's source definitions say they live (`opsflow demo` loads its extracts this way).
    /// - Returns: the exit code (2 when the project, profile or warehouse fails).
    public func replaceSourceTables(_ loads: [SourceTableLoad]) -> Int32 {
        do {
            let session = try openSession(which: "load")
            defer { session.adapter.close() }
            let manifest = session.compiler.manifest
            for load in loads {
                guard let source = manifest.sources.values.first(where: {
                    $0.sourceName == load.sourceName && $0.name == load.tableName
                }) else {
                    throw RunError(.project, "the project declares no source \(load.sourceName).\(load.tableName)",
                                   hint: "declare it under `sources:` in a property file")
                }
                let relation = Relation(database: source.database, schema: source.schema, identifier: source.identifier, kind: .table)
                let adapter = session.adapter
                let started = Date()
                try adapter.createSchema(relation.schema)
                let count = try adapter.transaction { () throws -> Int in
                    try adapter.dropRelation(relation)
                    try adapter.createTable(relation, columns: load.columns)
                    var count = 0
                    try load.produce { rows in
                        count += try adapter.insert(into: relation, columns: load.columns.map(\.name), rows: rows)
                    }
                    return count
                }
                info("Loaded \(count) rows into \(adapter.render(relation)) in "
                     + String(format: "%.2f", Date().timeIntervalSince(started)) + "s")
            }
            return 0
        } catch {
            events.emit(Event(.error, code: "Z002", name: "MainEncounteredError", Self.describe(error)))
            return 2
        }
    }
}
