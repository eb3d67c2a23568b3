import Testing
import SQL

/// Random and truncated SQL never traps: the translator returns SQL or an SQLError with a
/// location inside the text.
@Suite("Fuzz")
struct FuzzTests {
    static let seeds = [
        "WITH a AS (SELECT x, ROW_NUMBER() OVER (PARTITION BY y ORDER BY z DESC NULLS LAST) AS rn FROM `p.d.t` WHERE x LIKE 'a%') SELECT * EXCEPT (rn) FROM a QUALIFY rn = 1",
        "SELECT DATE_DIFF(DATE '2025-01-01', d, WEEK(MONDAY)), FORMAT_DATE('%a', d), SAFE_DIVIDE(COUNT(*), SUM(n)) FROM d.t GROUP BY ROLLUP(1, 2) HAVING COUNT(*) > 1",
        "SELECT ARRAY_AGG(STRUCT(a AS x, b) IGNORE NULLS ORDER BY a LIMIT 3), x[SAFE_OFFSET(1)] FROM d.t, UNNEST(arr) AS x WITH OFFSET AS o",
        "MERGE d.t T USING (SELECT 1 AS id) S ON T.id = S.id WHEN MATCHED THEN UPDATE SET v = S.id WHEN NOT MATCHED THEN INSERT ROW",
        "CREATE OR REPLACE TABLE d.x PARTITION BY day OPTIONS (description = 'x') AS SELECT CAST('1' AS INT64) AS a, r'''raw\\n''' AS b, b'bytes' AS c",
        "SELECT CASE WHEN a THEN (SELECT MAX(b) FROM c WHERE c.k = t.k) ELSE -1.5e3 END, EXTRACT(ISOWEEK FROM ts AT TIME ZONE 'UTC') FROM t",
    ]

    /// A deterministic generator (SplitMix64) so failures reproduce.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
    }

    /// Translates `sql` to `dialect`: either SQL or an SQLError located inside the text, never a trap.
    static func check(_ sql: String, to dialect: SQLDialect = .sqlite) {
        do {
            let t = try SQLTranslator.translate(sql, from: .bigQuery, to: dialect)
            #expect(!t.sql.isEmpty)
        } catch let error as SQLError {
            let lines = sql.split(separator: "\n", omittingEmptySubsequences: false).count
            #expect(error.line >= 1 && error.line <= max(1, lines), "\(error) for \(sql)")
            #expect(error.column >= 1)
        } catch {
            Issue.record("not an SQLError: \(error)")
        }
    }

    /// ``check(_:to:)`` on every prefix of every seed.
    static func checkEveryPrefix(of seeds: [String], to dialect: SQLDialect = .sqlite) {
        for seed in seeds {
            var prefix = ""
            for character in seed {
                prefix.append(character)
                check(prefix, to: dialect)
            }
        }
    }

    @Test("every prefix of the seed queries")
    func truncated() {
        Self.checkEveryPrefix(of: Self.seeds)
    }

    @Test("random token soup and mutations")
    func random() {
        let pieces = ["SELECT", "FROM", "WHERE", "(", ")", ",", "'", "`", "\"", "a", "1", "1.5e", "*", "+", "-", "/", "||",
                      "OVER", "PARTITION", "BY", "ORDER", "CASE", "WHEN", "END", "CAST", "AS", "INT64", "ARRAY", "<", ">",
                      "[", "]", "UNNEST", "WITH", "OFFSET", "QUALIFY", "UNION", "ALL", "DATE", "'2025-13-45'", "INTERVAL",
                      "DAY", "EXTRACT", "STRUCT", ".", ";", "--", "/*", "\\", "r'", "b'", "@p", "?", "NOT", "IN", "LIKE"]
        var random = Random(state: 42)
        for _ in 0..<3000 {
            let count = 1 + random.below(25)
            let sql = (0..<count).map { _ in pieces[random.below(pieces.count)] }.joined(separator: random.below(3) == 0 ? "" : " ")
            Self.check(sql)
        }
        for seed in Self.seeds {
            var characters = Array(seed)
            for _ in 0..<400 {
                var mutated = characters
                let position = random.below(mutated.count)
                switch random.below(3) {
                case 0: mutated.remove(at: position)
                case 1: mutated.insert(Array("()'`,.*;")[random.below(8)], at: position)
                default: mutated[position] = Array("()'`\"[]<>")[random.below(9)]
                }
                Self.check(String(mutated))
                characters = random.below(4) == 0 ? mutated : characters
            }
        }
    }

    @Test("deep nesting is an error, not a stack overflow")
    func deep() {
        Self.check("SELECT " + String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000))
        Self.check("SELECT " + String(repeating: "-", count: 5000) + "1")
        Self.check("SELECT " + String(repeating: "NOT ", count: 5000) + "TRUE")
        Self.check(String(repeating: "SELECT * FROM (", count: 2000))
    }
}
