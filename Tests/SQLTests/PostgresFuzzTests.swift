import Testing
import SQL

/// The fuzz inputs of ``FuzzTests`` translated to PostgreSQL: never a trap, either SQL or an
/// SQLError located inside the text.
@Suite("Fuzz (PostgreSQL)")
struct PostgresFuzzTests {
    static let seeds = FuzzTests.seeds + [
        "SELECT FORMAT('%-5d|%T', n, s), PARSE_DATE('%Y-%m-%d', s), JSON_VALUE(j, '$.a[0].b'), INITCAP(s, '-') FROM d.t",
        "MERGE d.t T USING d.s S ON T.id = S.id WHEN NOT MATCHED BY SOURCE AND T.x > 1 THEN DELETE WHEN MATCHED THEN DELETE",
        "SELECT s.a.b, x.c FROM d.t, UNNEST([STRUCT(1 AS c)]) AS x WHERE REGEXP_CONTAINS(y, r'[0-9-.]+') AND 1 << 70 = 0",
    ]

    static func check(_ sql: String) { FuzzTests.check(sql, to: .postgres) }

    @Test("every prefix of the seed queries")
    func truncated() {
        FuzzTests.checkEveryPrefix(of: Self.seeds, to: .postgres)
    }

    @Test("random mutations of the seeds")
    func mutations() {
        var random = FuzzTests.Random(state: 7)
        for seed in Self.seeds {
            var characters = Array(seed)
            for _ in 0..<400 {
                var mutated = characters
                let position = random.below(mutated.count)
                switch random.below(3) {
                case 0: mutated.remove(at: position)
                case 1: mutated.insert(Array("()'`,.*;%$[]")[random.below(12)], at: position)
                default: mutated[position] = Array("()'`\"[]<>%")[random.below(10)]
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
        Self.check(String(repeating: "SELECT * FROM (", count: 2000))
    }
}
