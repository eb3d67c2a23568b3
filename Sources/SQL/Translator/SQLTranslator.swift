/// A SQL dialect OpsFlow reads or writes.
///
/// A dialect is data: the semantic flags that make the same text mean different things
/// (sqlglot's `Dialect`). The translator reads BigQuery and writes SQLite or PostgreSQL 15.
public enum SQLDialect: String, Sendable, Hashable, CaseIterable {
    case bigQuery = "bigquery"
    case sqlite
    /// PostgreSQL 15 (<https://www.postgresql.org/docs/15/>).
    case postgres

    /// The dialect a profile names (`bigquery`, `sqlite`, `postgres`/`postgresql`), case-insensitively.
    public init?(name: String) {
        let lower = name.lowercased()
        self.init(rawValue: lower == "postgresql" ? "postgres" : lower)
    }

    /// Semantic flags of the dialect.
    public struct Semantics: Sendable, Hashable {
        /// `/` on integers gives a float (BigQuery) or an integer (SQLite).
        public var floatDivision: Bool
        /// Dividing by zero is an error (BigQuery) or NULL (SQLite).
        public var divisionByZeroIsError: Bool
        /// `LIKE` compares case-sensitively.
        public var caseSensitiveLike: Bool
        /// NULLs sort first in ascending order.
        public var nullsFirstAscending: Bool
        /// The first day of a `WEEK`: 0 = Sunday.
        public var weekStart: Int
        /// Integer overflow is an error (else: a silent conversion to a float).
        public var integerOverflowIsError: Bool
        /// The identifier quote character.
        public var identifierQuote: Character
    }

    public var semantics: Semantics {
        switch self {
        case .bigQuery:
            // https://cloud.google.com/bigquery/docs/reference/standard-sql/operators
            return Semantics(floatDivision: true, divisionByZeroIsError: true, caseSensitiveLike: true,
                             nullsFirstAscending: true, weekStart: 0, integerOverflowIsError: true, identifierQuote: "`")
        case .sqlite:
            // https://www.sqlite.org/lang_expr.html
            return Semantics(floatDivision: false, divisionByZeroIsError: false, caseSensitiveLike: false,
                             nullsFirstAscending: true, weekStart: 0, integerOverflowIsError: false, identifierQuote: "\"")
        case .postgres:
            // https://www.postgresql.org/docs/15/functions-math.html, queries-order.html
            return Semantics(floatDivision: false, divisionByZeroIsError: true, caseSensitiveLike: true,
                             nullsFirstAscending: false, weekStart: 0, integerOverflowIsError: true, identifierQuote: "\"")
        }
    }
}

/// The result of a translation: the SQLite SQL to run and what it returns.
public struct Translation: Sendable, Hashable {
    /// SQLite SQL; several `;`-separated statements when the input had several (or when one
    /// BigQuery statement needs several, like `CREATE OR REPLACE TABLE` or `MERGE`).
    public var sql: String
    /// The output columns of the last statement (empty when it returns no rows), each with its
    /// BigQuery type when the translator knows it.
    public var columns: [SQLColumn]
    /// Whether the input was a single query (SELECT / WITH), as `replaceTable` needs.
    public var isQuery: Bool
    /// The SQLite statements one by one (``sql`` is them joined with `;`), so a caller can run
    /// the leading ones before compiling the next (SQLite compiles against the current schema).
    public var statements: [String]
}

/// Translates GoogleSQL (BigQuery's SQL) to SQLite SQL that returns what BigQuery returns.
///
/// ```swift
/// let t = try SQLTranslator.translate("SELECT DATE_DIFF(DATE '2025-03-01', DATE '2025-02-01', DAY) AS d")
/// // t.sql: SELECT bq_diff('DATE', '2025-03-01', '2025-02-01', 'DAY') AS "d"
/// // t.columns: [d INT64]
/// ```
///
/// The SQL calls `bq_*` functions that `WarehouseSQLite` registers on every connection.
/// Relations: a path `project.dataset.table`, `dataset.table`, `` `dataset.table` ``,
/// `` `dataset`.`table` `` or the string `"dataset.table"` becomes the SQLite identifier
/// `"dataset.table"`.
///
/// Errors: ``SQLError`` — `syntax` for text that is not GoogleSQL, `unsupported` (with the
/// construct) for what is not translated, `semantic` for what BigQuery itself rejects; all with
/// the line and column in `sql`.
///
/// Not translated (an `unsupported` error, never a different query): query parameters, time
/// zones that are not literals, a zone argument of `*_TRUNC`/`PARSE_TIMESTAMP`, `%Z`/`%z` with a
/// zone other than UTC, `DATE - DATE` (INTERVAL values), `LAG`/`LEAD … IGNORE NULLS`,
/// `COUNT(DISTINCT …) OVER`, `GROUP BY CUBE/GROUPING SETS`, `TABLESAMPLE`, `FOR SYSTEM_TIME AS OF`, `NATURAL JOIN`,
/// `CAST … FORMAT`, `INTERVAL` values outside date arithmetic, `MD5` other than `TO_HEX(MD5(…))`,
/// dotted function families (`NET.*`, `KEYS.*`, `AEAD.*`), GEOGRAPHY, and any function not in the
/// generator's table. Known differences: NUMERIC/BIGNUMERIC are stored as FLOAT64; NaN is stored
/// as NULL by SQLite; regular expressions are ICU's, not RE2's.
///
/// To PostgreSQL 15 (`to: .postgres`): plain SQL, nothing to install. A path
/// `project.dataset.table` becomes `"dataset"."table"` (a dataset is a schema); INT64 is
/// `bigint`, FLOAT64 `double precision`, NUMERIC `numeric`, STRING `text`, BOOL `boolean`, BYTES
/// `bytea`, DATE `date`, DATETIME `timestamp`, TIMESTAMP `timestamptz`, ARRAY<T> `T[]`, STRUCT
/// `jsonb`. Sessions must use the time zone `UTC`. Besides the SQLite list, not translated:
/// operations whose translation depends on a type the catalog does not give (`/`, SAFE_DIVIDE,
/// ROUND, AVG, CAST, EXTRACT, DATE(…), *_TRUNC of a column of unknown type), SAFE_CAST from STRING
/// to a date/time type, SAFE.-prefixed functions other than SQRT/LN/LOG10, JSON_QUERY,
/// JSON_EXTRACT_ARRAY, TO_JSON_STRING of other than strings/integers/booleans/dates, FORMAT's
/// %f/%e/%g/%o, PARSE_* with %y, CONTAINS_SUBSTR, STRUCT fields of ARRAY/BYTES/TIME type,
/// `SELECT *` over an UNNEST of STRUCTs, `MERGE … NOT MATCHED BY SOURCE THEN UPDATE`; refused when
/// the query runs (an error, never another value): GENERATE_DATE_ARRAY with a month step from a
/// day after the 28th, INSTR of an empty search value. Known
/// differences: the order of an aggregate's values without ORDER BY (unspecified in BigQuery),
/// STRUCT field order (jsonb sorts keys), regular expressions are PostgreSQL's (a literal RE2
/// pattern is checked and adjusted; a computed one is not), and names are case-sensitive in
/// PostgreSQL once quoted: a relation is named as written, a column as the catalog spells it.
public enum SQLTranslator {
    /// Translates `sql` (one or more `;`-separated statements).
    ///
    /// ```swift
    /// let t = try SQLTranslator.translate("SELECT SAFE_DIVIDE(COUNT(*), 7) AS r FROM ds.t", from: .bigQuery, to: .postgres)
    /// // t.sql: SELECT ((count(*))::double precision / nullif(7::bigint, 0)) AS "r"
    /// //        FROM "ds"."t" AS "t"
    /// // t.columns: [r FLOAT64]
    /// ```
    /// - Parameters:
    ///   - from: the dialect of `sql`; only ``SQLDialect/bigQuery`` is translated; the target
    ///     dialect itself passes through unchanged.
    ///   - to: ``SQLDialect/sqlite`` (the SQL calls the `bq_*` functions `WarehouseSQLite`
    ///     registers) or ``SQLDialect/postgres`` (plain PostgreSQL 15 SQL, no extension or function
    ///     to install; it expects the session time zone `UTC`, as BigQuery's, for TIMESTAMP text).
    ///   - catalog: what is known of existing relations (columns for `SELECT *`, types).
    /// - Throws: ``SQLError`` (see the type); for `.postgres` also what PostgreSQL cannot do with
    ///   BigQuery's result (see `PostgresGenerator`'s refusals).
    public static func translate(_ sql: String, from: SQLDialect = .bigQuery, to: SQLDialect = .sqlite, catalog: SQLCatalog = .empty) throws -> Translation {
        guard to == .sqlite || to == .postgres, from == .bigQuery || from == to else {
            throw SQLError(.unsupported, construct: "translation \(from.rawValue) → \(to.rawValue)", message: "only BigQuery → SQLite and BigQuery → PostgreSQL are translated", location: SourceLocation(line: 1, column: 1, offset: 0))
        }
        if from == to { return Translation(sql: sql, columns: [], isQuery: false, statements: [sql]) }
        let statements = try Parser.parse(sql)
        guard !statements.isEmpty else {
            throw SQLError(.syntax, construct: "statement", message: "the SQL holds no statement", location: SourceLocation(line: 1, column: 1, offset: 0))
        }
        var parts: [String] = []
        var columns: [SQLColumn] = []
        if to == .postgres {
            let generator = PostgresGenerator(catalog: catalog)
            for statement in statements {
                let generated = try generator.statement(statement)
                parts += generated.sql
                columns = generated.columns
            }
        } else {
            let generator = SQLiteGenerator(catalog: catalog)
            for statement in statements {
                let generated = try generator.statement(statement)
                parts += generated.sql
                columns = generated.columns
            }
        }
        var isQuery = false
        if statements.count == 1, case .query = statements[0] { isQuery = true }
        return Translation(sql: parts.joined(separator: ";\n"), columns: columns, isQuery: isQuery, statements: parts)
    }

    /// Translates one BigQuery expression (for tests and `opsflow sql translate -e`).
    /// - Parameter to: the target dialect (``SQLDialect/sqlite`` or ``SQLDialect/postgres``).
    public static func translateExpression(_ sql: String, to: SQLDialect = .sqlite, catalog: SQLCatalog = .empty) throws -> (sql: String, type: SQLType?) {
        let expression = try Parser.parseExpression(sql)
        if to == .postgres {
            let typed = try PostgresGenerator(catalog: catalog).expression(expression, scope: Scope(parent: nil))
            return (typed.sql, typed.type)
        }
        let generator = SQLiteGenerator(catalog: catalog)
        let typed = try generator.expression(expression, scope: Scope(parent: nil))
        return (typed.sql, typed.type)
    }
}
