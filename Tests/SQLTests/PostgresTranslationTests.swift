import Testing
import SQL

/// The shape of the PostgreSQL text for rules whose values are tested on a real server in
/// SQLPostgresTests (the BigQuery conformance cases and the example project). Each expectation is
/// a documented difference between BigQuery and PostgreSQL 15 that the text must handle.
@Suite("Translation to PostgreSQL")
struct PostgresTranslationTests {
    static let catalog = SQLCatalog(columns: { name in
        switch name {
        case "dev.orders":
            return [SQLColumn(name: "id", type: .int64), SQLColumn(name: "day", type: .date), SQLColumn(name: "amount", type: .float64),
                    SQLColumn(name: "client", type: .string), SQLColumn(name: "created", type: .timestamp)]
        default: return nil
        }
    })

    static func pg(_ sql: String) throws -> String {
        try SQLTranslator.translate(sql, from: .bigQuery, to: .postgres, catalog: catalog).sql
    }

    static func pgExpression(_ sql: String) throws -> String {
        try SQLTranslator.translateExpression(sql, to: .postgres, catalog: catalog).sql
    }

    @Test("relation paths become schema.table; backticks become double quotes", arguments: [
        "SELECT id FROM dev.orders", "SELECT id FROM `dev.orders`", "SELECT id FROM `dev`.`orders`",
        "SELECT id FROM proj.dev.orders", "SELECT id FROM `proj.dev.orders`",
    ])
    func relations(_ sql: String) throws {
        let t = try SQLTranslator.translate(sql, from: .bigQuery, to: .postgres, catalog: Self.catalog)
        #expect(t.sql.contains(#"FROM "dev"."orders" AS "orders""#))
        #expect(t.columns == [SQLColumn(name: "id", type: .int64)])
        #expect(t.isQuery)
    }

    @Test("integer division is FLOAT64 division (https://cloud.google.com/bigquery/docs/reference/standard-sql/operators#arithmetic_operators)")
    func division() throws {
        #expect(try Self.pgExpression("7 / 2") == "((7::bigint)::double precision / 2::bigint)")
        let t = try SQLTranslator.translateExpression("7 / 2", to: .postgres)
        #expect(t.type == .float64)
    }

    @Test("SAFE_DIVIDE gives NULL for a zero divisor")
    func safeDivide() throws {
        #expect(try Self.pgExpression("SAFE_DIVIDE(1, 0)") == "((1::bigint)::double precision / nullif(0::bigint, 0))")
    }

    @Test("literals: INT64 is bigint, FLOAT64 is double precision (not PostgreSQL's integer and numeric)")
    func literals() throws {
        #expect(try Self.pgExpression("1") == "1::bigint")
        #expect(try Self.pgExpression("1.5") == "1.5::double precision")
        #expect(try Self.pgExpression("TIMESTAMP '2025-01-06 08:15:00'") == "TIMESTAMPTZ '2025-01-06 08:15:00+00'")
        #expect(try Self.pgExpression("DATETIME '2025-01-06 08:15:00'") == "TIMESTAMP '2025-01-06 08:15:00'")
    }

    @Test("ORDER BY writes BigQuery's NULL order and orders strings by code point")
    func order() throws {
        let sql = try Self.pg("SELECT id, client FROM dev.orders ORDER BY client DESC, id")
        #expect(sql.contains(#"ORDER BY "client" COLLATE "C" DESC NULLS LAST, "id" NULLS FIRST"#))
    }

    @Test("QUALIFY becomes a filter over the windowed rows")
    func qualify() throws {
        let sql = try Self.pg("SELECT id FROM dev.orders QUALIFY ROW_NUMBER() OVER (PARTITION BY client ORDER BY id) = 1")
        #expect(sql.hasPrefix(#"SELECT "id" FROM ("#))
        #expect(sql.contains(#"AS "_qualify""#))
        #expect(sql.hasSuffix(#"WHERE "_qualify""#))
    }

    @Test("EXTRACT(DAYOFWEEK) counts Sunday as 1; TIMESTAMPs are read in UTC")
    func dayOfWeek() throws {
        #expect(try Self.pgExpression("EXTRACT(DAYOFWEEK FROM DATE '2025-01-05')") == "(extract(dow FROM (DATE '2025-01-05')::timestamp)::bigint + 1)")
        #expect(try Self.pg("SELECT EXTRACT(HOUR FROM created) AS h FROM dev.orders").contains(#"extract(hour FROM ("orders"."created" AT TIME ZONE 'UTC'))"#))
    }

    @Test("CONCAT, LEAST and GREATEST give NULL when any argument is NULL")
    func nulls() throws {
        #expect(try Self.pgExpression("CONCAT('a', NULL)") == "(('a')::text || (NULL)::text)")
        #expect(try Self.pgExpression("LEAST(1, 2)") == "CASE WHEN 1::bigint IS NULL OR 2::bigint IS NULL THEN NULL ELSE least(1::bigint, 2::bigint) END")
    }

    @Test("CAST(FLOAT64 AS INT64) rounds half away from zero (PostgreSQL rounds half to even)")
    func castRounding() throws {
        let sql = try Self.pgExpression("CAST(2.5 AS INT64)")
        #expect(sql.contains("trunc(") && sql.contains(">= 0.5"))
        #expect(!sql.hasPrefix("(2.5::double precision)::bigint"))
    }

    @Test("UNNEST becomes unnest() with a 0-based WITH OFFSET")
    func unnest() throws {
        let sql = try Self.pg("SELECT x, o FROM UNNEST([10, 20]) AS x WITH OFFSET AS o")
        #expect(sql.contains(#"unnest(ARRAY[10::bigint, 20::bigint]::bigint[]) WITH ORDINALITY AS "_unnest1"("value", "offset")"#))
        #expect(sql.contains(#"("_unnest1"."offset" - 1) AS "o""#))
    }

    @Test("CREATE OR REPLACE TABLE is a drop and a create")
    func createTable() throws {
        let t = try SQLTranslator.translate("CREATE OR REPLACE TABLE dev.t AS SELECT 1 AS a", from: .bigQuery, to: .postgres)
        #expect(t.statements == [#"DROP TABLE IF EXISTS "dev"."t""#, "CREATE TABLE \"dev\".\"t\" AS\nSELECT 1::bigint AS \"a\""])
    }

    @Test("what PostgreSQL cannot do as BigQuery does is refused with the construct and location", arguments: [
        ("SELECT STRUCT([1, 2] AS a) AS s", "STRUCT field of type ARRAY"),
        ("SELECT LAG(x IGNORE NULLS) OVER (ORDER BY y) FROM t", "IGNORE NULLS"),
        ("SELECT SAFE.POW(0, -2)", "SAFE.POW"),
        ("SELECT COUNT(DISTINCT x) OVER (PARTITION BY y) FROM t", "DISTINCT"),
        ("SELECT FORMAT('%f', 1.5)", "FORMAT %f"),
        ("SELECT SAFE_CAST(CONCAT('2025', '-01-01') AS DATE)", "SAFE_CAST from STRING to DATE"),
        ("SELECT PARSE_DATE('%y%m%d', '250106')", "%y"),
        ("SELECT DATETIME(TIMESTAMP '2025-03-30 20:00:00+00', zone) FROM t", "time zone that is not a literal"),
        ("SELECT REGEXP_CONTAINS('x', r'(?P<n>x)')", "pattern"),
        ("SELECT 1\nFROM t\nWHERE ST_GEOGPOINT(j, 1) IS NULL", "function ST_GEOGPOINT"),
    ])
    func refused(_ sql: String, _ construct: String) {
        do {
            let t = try SQLTranslator.translate(sql, from: .bigQuery, to: .postgres)
            Issue.record("expected an error for \(sql), got \(t.sql)")
        } catch let error as SQLError {
            #expect(error.kind == .unsupported, "\(error)")
            #expect(error.construct.contains(construct) || error.message.contains(construct), "\(error)")
            #expect(error.message.contains("PostgreSQL"))
            #expect(error.line >= 1 && error.column >= 1)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("an unsupported construct's location points at it")
    func location() {
        do {
            _ = try SQLTranslator.translate("SELECT 1\nFROM t\nWHERE ST_GEOGPOINT(j, 1) IS NULL", from: .bigQuery, to: .postgres)
            Issue.record("expected an error")
        } catch let error as SQLError {
            #expect(error.line == 3)
            #expect(error.column == 7)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("BigQuery → PostgreSQL keeps SQLite's behaviour for .sqlite; PostgreSQL text passes through")
    func dialects() throws {
        #expect(SQLDialect(name: "PostgreSQL") == .postgres)
        #expect(SQLDialect(name: "postgres") == .postgres)
        let passthrough = try SQLTranslator.translate("SELECT 1::int", from: .postgres, to: .postgres)
        #expect(passthrough.sql == "SELECT 1::int")
        #expect(throws: SQLError.self) { try SQLTranslator.translate("SELECT 1", from: .sqlite, to: .postgres) }
    }
}

extension PostgresTranslationTests {
    @Test("names are case-insensitive in BigQuery: references take the spelling of the definition")
    func spelling() throws {
        let sql = try Self.pg("SELECT ID AS Total FROM dev.orders AS O ORDER BY total, o.Id")
        #expect(sql.contains(#""O"."id" AS "Total""#))
        #expect(sql.contains(#"ORDER BY "Total" NULLS FIRST, "O"."id" NULLS FIRST"#))
        let union = try Self.pg("SELECT 1 AS Total UNION ALL SELECT 2 ORDER BY total")
        #expect(union.hasSuffix(#"ORDER BY "Total" NULLS FIRST"#))
    }
}

extension PostgresTranslationTests {
    @Test("MERGE … WHEN NOT MATCHED BY SOURCE THEN DELETE (dbt-bigquery's insert_overwrite) is a DELETE, then the MERGE")
    func mergeBySource() throws {
        let t = try SQLTranslator.translate("""
            MERGE dev.t AS T USING (SELECT 1 AS id, 'x' AS v) AS S ON T.id = S.id
            WHEN MATCHED THEN UPDATE SET v = S.v
            WHEN NOT MATCHED BY SOURCE AND T.id > 10 THEN DELETE
            """, from: .bigQuery, to: .postgres)
        #expect(t.statements.count == 2)
        #expect(t.statements.first?.hasPrefix(#"DELETE FROM "dev"."t" AS "T""#) == true)
        #expect(t.statements.first?.contains("NOT EXISTS") == true)
        #expect(t.statements.last?.hasPrefix(#"MERGE INTO "dev"."t" AS "T""#) == true)
        #expect(throws: SQLError.self) {
            try SQLTranslator.translate("MERGE dev.t T USING dev.s S ON T.id = S.id WHEN NOT MATCHED BY SOURCE THEN UPDATE SET v = 'gone'", from: .bigQuery, to: .postgres)
        }
    }

    @Test("a time zone offset is an INTERVAL (ISO sign), a name stays text")
    func zones() throws {
        #expect(try Self.pgExpression("DATETIME(TIMESTAMP '2025-03-30 20:00:00+00', '-03')").contains("AT TIME ZONE INTERVAL '-03:00'"))
        #expect(try Self.pgExpression("DATE(TIMESTAMP '2025-03-30 20:00:00+00', 'America/Sao_Paulo')").contains("AT TIME ZONE 'America/Sao_Paulo'"))
    }
}

extension PostgresTranslationTests {
    @Test("the documented example of SQLTranslator.translate(_:from:to:catalog:)")
    func documentedExample() throws {
        let t = try SQLTranslator.translate("SELECT SAFE_DIVIDE(COUNT(*), 7) AS r FROM ds.t", from: .bigQuery, to: .postgres)
        #expect(t.sql == "SELECT ((count(*))::double precision / nullif(7::bigint, 0)) AS \"r\"\nFROM \"ds\".\"t\" AS \"t\"")
        #expect(t.columns == [SQLColumn(name: "r", type: .float64)])
    }
}

extension PostgresTranslationTests {
    @Test("PostgreSQL column types read back as the BigQuery types they store", arguments: [
        ("bigint", nil, SQLType.int64), ("double precision", nil, .float64), ("numeric", nil, .numeric), ("text", nil, .string),
        ("boolean", nil, .bool), ("bytea", nil, .bytes), ("date", nil, .date), ("timestamp without time zone", nil, .datetime),
        ("timestamp with time zone", nil, .timestamp), ("ARRAY", "_int8", .array(.int64)), ("ARRAY", "_text", .array(.string)),
    ] as [(String, String?, SQLType)])
    func postgresTypes(_ dataType: String, _ udtName: String?, _ expected: SQLType) {
        #expect(SQLType(postgres: dataType, udtName: udtName) == expected)
    }
}
