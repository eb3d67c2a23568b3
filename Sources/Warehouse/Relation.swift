/// A relation in a warehouse: a table, a view, or an ephemeral model inlined as a CTE.
///
/// Mirrors dbt's `BaseRelation` (`dbt/adapters/base/relation.py`): the three-part name is
/// `database.schema.identifier`; how it is written in SQL is the adapter's business
/// (``Adapter/render(_:)``), because SQLite has no schemas inside one file.
public struct Relation: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable {
        case table, view, ephemeral = "cte", materializedView = "materialized_view"
    }

    public var database: String?
    public var schema: String
    public var identifier: String
    public var kind: Kind?

    public init(database: String? = nil, schema: String, identifier: String, kind: Kind? = nil) {
        self.database = database
        self.schema = schema
        self.identifier = identifier
        self.kind = kind
    }

    /// `schema.identifier` (or `database.schema.identifier`), unquoted: for logs and messages.
    public var description: String {
        [database, schema, identifier].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ".")
    }

    /// The same relation with another identifier (for temporary and backup names).
    public func withIdentifier(_ identifier: String) -> Relation {
        var copy = self
        copy.identifier = identifier
        return copy
    }
}

/// A column of a relation.
public struct Column: Sendable, Hashable {
    /// The column name as the warehouse stores it.
    public var name: String
    /// The logical data type (`INT64`, `FLOAT64`, `STRING`, `DATE`, `TIMESTAMP`, … on the embedded
    /// warehouse; the native type name elsewhere).
    public var dataType: String

    public init(name: String, dataType: String) {
        self.name = name
        self.dataType = dataType
    }
}
