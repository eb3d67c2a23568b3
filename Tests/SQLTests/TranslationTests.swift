import Testing
import SQL

/// The shape of the SQLite text for rules whose value tests live in WarehouseSQLiteTests.
@Suite("Translation")
struct TranslationTests {
    static let catalog = SQLCatalog(columns: { name in
        switch name {
        case "dev.orders": return [SQLColumn(name: "id", type: .int64), SQLColumn(name: "day", type: .date), SQLColumn(name: "amount", type: .float64)]
        case "dev.v_orders": return [SQLColumn(name: "id", type: .int64)]
        default: return nil
        }
    }, isView: { $0 == "dev.v_orders" })

    @Test("relation names map to one SQLite identifier", arguments: [
        "SELECT id FROM dev.orders", "SELECT id FROM `dev.orders`", "SELECT id FROM `dev`.`orders`",
        "SELECT id FROM proj.dev.orders", "SELECT id FROM `proj.dev.orders`", #"SELECT id FROM "dev.orders""#,
    ])
    func relations(_ sql: String) throws {
        let t = try SQLTranslator.translate(sql, catalog: Self.catalog)
        #expect(t.sql.contains(#""dev.orders""#))
        #expect(t.columns == [SQLColumn(name: "id", type: .int64)])
    }

    @Test("output types follow BigQuery's rules")
    func types() throws {
        let t = try SQLTranslator.translate("SELECT id / 2 AS half, id + 1 AS next, DATE_ADD(day, INTERVAL 1 DAY) AS d, COUNT(*) OVER () AS n, FORMAT_DATE('%a', day) AS wd, day > '2025-01-01' AS late FROM dev.orders", catalog: Self.catalog)
        #expect(t.columns.map(\.type) == [.float64, .int64, .date, .int64, .string, .bool])
    }

    @Test("SELECT * EXCEPT / REPLACE expand the known columns")
    func star() throws {
        let t = try SQLTranslator.translate("SELECT * EXCEPT (amount) REPLACE (id * 10 AS id) FROM dev.orders", catalog: Self.catalog)
        #expect(t.columns.map(\.name) == ["id", "day"])
        #expect(!t.sql.contains("*"))
    }

    @Test("a CTE read twice or over a view is materialized")
    func materialized() throws {
        let twice = try SQLTranslator.translate("WITH a AS (SELECT id FROM dev.orders) SELECT * FROM a JOIN a AS b USING (id)", catalog: Self.catalog)
        #expect(twice.sql.contains("AS MATERIALIZED"))
        let view = try SQLTranslator.translate("WITH a AS (SELECT id FROM dev.v_orders) SELECT * FROM a", catalog: Self.catalog)
        #expect(view.sql.contains("AS MATERIALIZED"))
        let once = try SQLTranslator.translate("WITH a AS (SELECT id FROM dev.orders) SELECT * FROM a", catalog: Self.catalog)
        #expect(!once.sql.contains("MATERIALIZED"))
    }

    @Test("LIKE with a literal pattern becomes a case-sensitive GLOB")
    func like() throws {
        let t = try SQLTranslator.translateExpression("'abc' LIKE 'a_c%'")
        #expect(t.sql == "('abc' GLOB 'a?c*')")
    }

    @Test("unsupported constructs fail with the construct and location", arguments: [
        ("SELECT LAG(x IGNORE NULLS) OVER (ORDER BY y) FROM t", "IGNORE NULLS"),
        ("SELECT 1 FROM t TABLESAMPLE SYSTEM (10 PERCENT)", "TABLESAMPLE"),
        ("SELECT NET.HOST('x')", "function NET"),
        ("SELECT 1 INTERSECT ALL SELECT 1", "INTERSECT ALL"),
        ("SELECT @p", "query parameter"),
        ("SELECT DATE '2025-01-02' - DATE '2025-01-01'", "DATE - DATE"),
        ("SELECT COUNT(DISTINCT x) OVER (PARTITION BY y) FROM t", "DISTINCT"),
        ("SELECT CURRENT_DATE(zone) FROM t", "time zone"),
    ])
    func unsupported(_ sql: String, _ construct: String) {
        do {
            _ = try SQLTranslator.translate(sql)
            Issue.record("expected an error for \(sql)")
        } catch let error as SQLError {
            #expect(error.construct.contains(construct) || error.message.contains(construct), "\(error)")
            #expect(error.line >= 1 && error.column >= 1)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("unknown names are BigQuery errors when the columns are known")
    func unknownName() {
        #expect(throws: SQLError.self) { try SQLTranslator.translate("SELECT nope FROM dev.orders", catalog: Self.catalog) }
    }

    @Test("QUALIFY filters in an outer query")
    func qualify() throws {
        let t = try SQLTranslator.translate("SELECT id FROM dev.orders QUALIFY ROW_NUMBER() OVER (PARTITION BY day ORDER BY id) = 1", catalog: Self.catalog)
        #expect(t.sql.contains(#"WHERE "_qualify""#))
        #expect(t.columns.map(\.name) == ["id"])
    }
}

@Suite("Error messages")
struct ErrorMessageTests {
    @Test("formatted errors quote the line and point at the column")
    func formatted() {
        let sql = "SELECT a\nFROM t TABLESAMPLE SYSTEM (1 PERCENT)"
        do {
            _ = try SQLTranslator.translate(sql)
            Issue.record("expected an error")
        } catch let error as SQLError {
            #expect(error.formatted(sql: sql, file: "models/m.sql") == """
                models/m.sql:2:8: unsupported error: TABLESAMPLE is not supported by the BigQuery → SQLite translator
                FROM t TABLESAMPLE SYSTEM (1 PERCENT)
                       ^
                """)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
