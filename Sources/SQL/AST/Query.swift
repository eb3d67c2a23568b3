/// A query: `WITH` list, a body of selects combined by set operations, then ORDER BY / LIMIT.
public struct Query: Sendable, Hashable {
    public var with: [CommonTableExpression] = []
    public var recursive = false
    public var body: SetExpression
    public var orderBy: [OrderItem] = []
    public var limit: Expression?
    public var offset: Expression?
    public var location: SourceLocation

    public init(body: SetExpression, at location: SourceLocation) {
        self.body = body
        self.location = location
    }
}

public struct CommonTableExpression: Sendable, Hashable {
    public var name: String
    public var query: Query
    public var location: SourceLocation
}

public indirect enum SetExpression: Sendable, Hashable {
    case select(Select)
    /// A parenthesized query used as a set operand.
    case query(Query)
    /// `UNION`, `INTERSECT` or `EXCEPT`, with `ALL` (true) or `DISTINCT` (false).
    case setOperation(op: String, all: Bool, SetExpression, SetExpression, location: SourceLocation)
}

public struct Select: Sendable, Hashable {
    public var distinct = false
    /// `SELECT AS STRUCT` / `SELECT AS VALUE`.
    public var asKind: String?
    public var items: [SelectItem] = []
    public var from: FromItem?
    public var whereClause: Expression?
    public var groupBy: [Expression] = []
    /// `GROUP BY ROLLUP(…)`.
    public var rollup = false
    public var having: Expression?
    public var qualify: Expression?
    public var windows: [String: Window] = [:]
    public var location: SourceLocation

    public init(at location: SourceLocation) {
        self.location = location
    }
}

public enum SelectItem: Sendable, Hashable {
    case expression(Expression, alias: String?)
    /// `*` or `t.*`, with `EXCEPT (…)` and `REPLACE (expr AS name, …)`.
    case star(qualifier: [String]?, except: [String], replace: [Expression.Field], location: SourceLocation)
}

public indirect enum FromItem: Sendable, Hashable {
    /// A table path as written (`dataset.table`, `project.dataset.table`, one backticked path).
    case table(path: [String], alias: String?, location: SourceLocation)
    case subquery(Query, alias: String?, location: SourceLocation)
    case unnest(Expression, alias: String?, offsetAlias: String?, location: SourceLocation)
    case join(kind: String, FromItem, FromItem, on: Expression?, using: [String], location: SourceLocation)
}

/// A whole statement.
public indirect enum Statement: Sendable, Hashable {
    case query(Query)
    case createTable(name: [String], orReplace: Bool, ifNotExists: Bool, temporary: Bool, columns: [ColumnDefinition], query: Query?, location: SourceLocation)
    case createView(name: [String], orReplace: Bool, ifNotExists: Bool, query: Query, location: SourceLocation)
    case drop(kind: String, name: [String], ifExists: Bool, location: SourceLocation)
    case insert(table: [String], columns: [String], source: InsertSource, location: SourceLocation)
    case delete(table: [String], alias: String?, whereClause: Expression?, location: SourceLocation)
    case update(table: [String], alias: String?, assignments: [Assignment], from: FromItem?, whereClause: Expression?, location: SourceLocation)
    case merge(Merge)
    case alterAddColumn(table: [String], column: ColumnDefinition, ifNotExists: Bool, location: SourceLocation)
    case alterDropColumn(table: [String], column: String, location: SourceLocation)
    /// `BEGIN`, `COMMIT`, `ROLLBACK`: kept as written.
    case transactionControl(String, location: SourceLocation)
}

public enum InsertSource: Sendable, Hashable {
    case query(Query)
    case values([[Expression]])
}

public struct ColumnDefinition: Sendable, Hashable {
    public var name: String
    public var type: TypeName
    public var notNull: Bool
}

public struct Assignment: Sendable, Hashable {
    public var column: [String]
    public var value: Expression
}

public struct Merge: Sendable, Hashable {
    public var target: [String]
    public var targetAlias: String?
    public var source: FromItem
    public var condition: Expression
    public var clauses: [MergeClause]
    public var location: SourceLocation
}

public struct MergeClause: Sendable, Hashable {
    /// `MATCHED`, `NOT MATCHED` (by target) or `NOT MATCHED BY SOURCE`.
    public var match: String
    public var condition: Expression?
    public var action: MergeAction
}

public enum MergeAction: Sendable, Hashable {
    case update([Assignment])
    case insert(columns: [String], values: [Expression]?)
    case delete
}
