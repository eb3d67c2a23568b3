/// One node of the expression tree: what it means (``Kind``) and where it was written.
///
/// One canonical node per meaning, whatever the spelling: `JSON_EXTRACT_SCALAR` and `JSON_VALUE`
/// parse to the same call, `POWER` to `POW`, `a NOT BETWEEN b AND c` to
/// `.between(negated: true)`. Function calls keep their canonical upper-case name; see
/// ``Parser/canonicalFunctionName(_:)``.
public struct Expression: Sendable, Hashable {
    public indirect enum Kind: Sendable, Hashable {
        case null
        case bool(Bool)
        /// An integer literal as written (decimal or hex).
        case integer(String)
        case float(String)
        case string(String)
        case bytes(String)
        /// `DATE '…'`, `TIMESTAMP '…'`, `DATETIME '…'`, `TIME '…'`, `NUMERIC '…'`, `JSON '…'`.
        case typedLiteral(type: String, value: String)
        /// `INTERVAL n unit`.
        case interval(Expression, unit: String)
        /// A column or a path into a struct: `a`, `t.a`, `t.s.f` (the parts as written).
        case column([String])
        /// A query parameter.
        case parameter(String)
        case unary(op: String, Expression)
        case binary(op: String, Expression, Expression)
        case isNull(Expression, negated: Bool)
        /// `x IS [NOT] TRUE/FALSE`.
        case isBool(Expression, value: Bool, negated: Bool)
        case isDistinct(Expression, Expression, negated: Bool)
        case between(Expression, low: Expression, high: Expression, negated: Bool)
        case inList(Expression, [Expression], negated: Bool)
        case inQuery(Expression, Query, negated: Bool)
        case inUnnest(Expression, Expression, negated: Bool)
        case like(Expression, pattern: Expression, negated: Bool)
        case exists(Query)
        case subquery(Query)
        case arrayQuery(Query)
        case caseWhen(operand: Expression?, whens: [When], otherwise: Expression?)
        case cast(Expression, to: TypeName, safe: Bool)
        case call(Call)
        /// `EXTRACT(part FROM value [AT TIME ZONE tz])`; `part` upper-case, `WEEK(MONDAY)` kept whole.
        case extract(part: String, Expression, timeZone: Expression?)
        case array([Expression], elementType: TypeName?)
        case structLiteral([Field])
        /// `a[OFFSET(i)]`, `a[SAFE_ORDINAL(i)]`, `a[i]`.
        case element(Expression, index: Expression, mode: String)
        /// `expr.field` on an expression that is not a plain name (`(s).f`, `f(x).y`).
        case field(Expression, String)
        /// A date part given as an argument: `DAY`, `WEEK(MONDAY)`, `ISOWEEK`.
        case datePart(String)
        /// A row value `(a, b)` used with `IN`.
        case tuple([Expression])
        /// `*` inside `COUNT(*)`.
        case star
    }

    public struct When: Sendable, Hashable {
        public var condition: Expression
        public var result: Expression
    }

    public struct Field: Sendable, Hashable {
        public var value: Expression
        public var name: String?
    }

    public var kind: Kind
    public var location: SourceLocation

    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }
}

/// A type as written in `CAST`, column definitions and typed literals: `INT64`, `ARRAY<STRING>`,
/// `STRUCT<a INT64>`, `NUMERIC(10, 2)` (parameters dropped). `name` is upper-case and canonical
/// (`INTEGER` → `INT64`, `BOOLEAN` → `BOOL`, `DECIMAL` → `NUMERIC`, `FLOAT` → `FLOAT64`).
public struct TypeName: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var parameters: [TypeName]
    public var fieldNames: [String]

    public init(_ name: String, parameters: [TypeName] = [], fieldNames: [String] = []) {
        self.name = name
        self.parameters = parameters
        self.fieldNames = fieldNames
    }

    public var description: String {
        if name == "ARRAY", let element = parameters.first { return "ARRAY<\(element)>" }
        if name == "STRUCT" {
            return "STRUCT<" + zip(fieldNames, parameters).map { "\($0) \($1)" }.joined(separator: ", ") + ">"
        }
        return name
    }
}

/// A function call: canonical name, arguments and the modifiers GoogleSQL allows on calls.
public struct Call: Sendable, Hashable {
    /// Upper-case canonical name (`COUNT`, `DATE_DIFF`, `JSON_VALUE`).
    public var name: String
    public var arguments: [Expression]
    public var distinct = false
    /// `IGNORE NULLS` (true), `RESPECT NULLS` (false), none (nil).
    public var ignoreNulls: Bool?
    /// `ORDER BY` inside an aggregate (`STRING_AGG(x, ',' ORDER BY y)`).
    public var orderBy: [OrderItem] = []
    /// `LIMIT n` inside an aggregate.
    public var limit: Expression?
    /// Called as `SAFE.name(…)`: errors become NULL.
    public var safe = false
    public var over: Window?
    /// `COUNT(*)`.
    public var star = false

    public init(name: String, arguments: [Expression]) {
        self.name = name
        self.arguments = arguments
    }
}

/// `OVER (…)`: a named window, partition, order and frame.
public struct Window: Sendable, Hashable {
    public var name: String?
    public var partitionBy: [Expression] = []
    public var orderBy: [OrderItem] = []
    /// The frame clause as words (`ROWS BETWEEN 1 PRECEDING AND CURRENT ROW`), its offsets kept as
    /// expressions in `frameOffsets` in order.
    public var frame: Frame?

    public struct Frame: Sendable, Hashable {
        /// `ROWS` or `RANGE`.
        public var unit: String
        public var start: Bound
        public var end: Bound?
    }

    public enum Bound: Sendable, Hashable {
        case unboundedPreceding, unboundedFollowing, currentRow
        case preceding(Expression)
        case following(Expression)
    }

    public init() {}
}

/// One `ORDER BY` term.
public struct OrderItem: Sendable, Hashable {
    public var expression: Expression
    public var descending = false
    /// `NULLS FIRST` (true), `NULLS LAST` (false), or BigQuery's default (nil: first ascending,
    /// last descending).
    public var nullsFirst: Bool?

    public init(expression: Expression, descending: Bool = false, nullsFirst: Bool? = nil) {
        self.expression = expression
        self.descending = descending
        self.nullsFirst = nullsFirst
    }
}
