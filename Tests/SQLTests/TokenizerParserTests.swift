import Testing
import SQL

/// Lexical rules: https://cloud.google.com/bigquery/docs/reference/standard-sql/lexical
@Suite("Tokenizer and parser")
struct TokenizerParserTests {
    @Test("tokens keep line and column")
    func locations() throws {
        let tokens = try Tokenizer.tokenize("SELECT a,\n  `b c` FROM t")
        #expect(tokens[0].location.line == 1 && tokens[0].location.column == 1)
        #expect(tokens[3].kind == .quotedIdentifier && tokens[3].text == "b c")
        #expect(tokens[3].location.line == 2 && tokens[3].location.column == 3)
    }

    @Test("string literal forms", arguments: [
        (#"'a\'b'"#, "a'b"), (#""x""#, "x"), ("'''tri'ple'''", "tri'ple"), (#"r'\d+'"#, #"\d+"#),
        (#"'\x41'"#, "A"), (#"'\u00e9'"#, "é"), (#"'\101'"#, "A"), ("'it''s'", "it"),
    ])
    func strings(_ input: String, _ expected: String) throws {
        let tokens = try Tokenizer.tokenize(input)
        #expect(tokens[0].kind == .string)
        #expect(tokens[0].text == expected)
    }

    @Test("comments are skipped")
    func comments() throws {
        let tokens = try Tokenizer.tokenize("SELECT 1 -- one\n# two\n/* three */ + 2")
        #expect(tokens.map(\.text) == ["SELECT", "1", "+", "2", ""])
    }

    @Test("malformed literals fail with a location", arguments: ["SELECT 'abc", "SELECT `abc", "SELECT '\\q'", "SELECT 1abc", "SELECT $"])
    func malformed(_ input: String) {
        #expect(throws: SQLError.self) { try Tokenizer.tokenize(input) }
    }

    @Test("operator precedence: AND binds tighter than OR, * tighter than +")
    func precedence() throws {
        let e = try Parser.parseExpression("a OR b AND c")
        guard case .binary("OR", _, let right) = e.kind, case .binary("AND", _, _) = right.kind else {
            Issue.record("unexpected tree \(e)")
            return
        }
        let m = try Parser.parseExpression("1 + 2 * 3")
        guard case .binary("+", _, let r) = m.kind, case .binary("*", _, _) = r.kind else {
            Issue.record("unexpected tree \(m)")
            return
        }
    }

    @Test("one canonical node per meaning: JSON_EXTRACT_SCALAR is JSON_VALUE, POWER is POW")
    func canonical() throws {
        let a = try Parser.parseExpression("JSON_EXTRACT_SCALAR(j, '$.a')")
        guard case .call(let call) = a.kind else { Issue.record("not a call"); return }
        #expect(call.name == "JSON_VALUE")
        let b = try Parser.parseExpression("power(2, 3)")
        guard case .call(let p) = b.kind else { Issue.record("not a call"); return }
        #expect(p.name == "POW")
    }

    @Test("table paths: project.dataset.table, backticks, dashes")
    func paths() throws {
        let q = try Parser.parseQuery("SELECT * FROM `my-project.sales.orders` AS o JOIN my-project.sales.items i USING (id)")
        guard case .select(let select) = q.body, case .join(_, let left, let right, _, _, _) = select.from else {
            Issue.record("unexpected tree")
            return
        }
        guard case .table(let lp, "o", _) = left, case .table(let rp, "i", _) = right else {
            Issue.record("unexpected tables")
            return
        }
        #expect(lp == ["my-project", "sales", "orders"])
        #expect(rp == ["my-project", "sales", "items"])
    }

    @Test("statements: CREATE OR REPLACE TABLE, INSERT, DELETE, MERGE")
    func statements() throws {
        let parsed = try Parser.parse("""
            CREATE OR REPLACE TABLE d.t AS SELECT 1 AS a;
            INSERT INTO d.t (a) VALUES (2), (3);
            DELETE FROM d.t WHERE a = 2;
            MERGE d.t T USING d.s S ON T.a = S.a
            WHEN MATCHED THEN UPDATE SET a = S.a
            WHEN NOT MATCHED THEN INSERT (a) VALUES (S.a);
            """)
        #expect(parsed.count == 4)
        guard case .merge(let merge) = parsed[3] else { Issue.record("not a merge"); return }
        #expect(merge.clauses.count == 2)
    }

    @Test("errors name the construct and the place")
    func errorLocation() {
        do {
            _ = try Parser.parseQuery("SELECT a\nFROM t\nWHERE (b = ")
            Issue.record("expected an error")
        } catch let error as SQLError {
            #expect(error.kind == .syntax)
            #expect(error.line == 3)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("set operators need ALL or DISTINCT")
    func setOperators() {
        #expect(throws: SQLError.self) { try Parser.parseQuery("SELECT 1 UNION SELECT 2") }
    }
}
