import Foundation
import Testing
@testable import Jinja

/// Random and truncated templates never crash: each ends in output or in a located `JinjaError`.
/// Deterministic (seeded) so a failure reproduces.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private let fragments = [
    "{{", "}}", "{%", "%}", "{#", "#}", "{{-", "-}}", "{%-", "-%}", " ", "\n", "x", "y", "loop", "items",
    "if", "elif", "else", "endif", "for", "in", "endfor", "set", "=", "macro", "endmacro", "call", "endcall",
    "caller()", "(", ")", "[", "]", "{", "}", ",", ":", ".", "|", "upper", "join", "default", "is", "not",
    "defined", "and", "or", "+", "-", "*", "/", "//", "%", "**", "~", "==", "<", "1", "2.5", "'s'", "\"t\"",
    "none", "true", "range(3)", "raw", "endraw", "filter", "endfilter", "do", "with", "endwith", "break",
    "continue", "recursive", "loop(x)", "namespace()", "include", "import", "from", "as", "'a' * 99",
    "x.append(x)", "varargs", "kwargs", "-9223372036854775807", "2 ** 63", "dict(a=1)", "{% endif %}",
]

private func render(_ env: Environment, _ source: String, _ context: [String: Value]) -> String? {
    do {
        _ = try env.render(source, name: "fuzz", context: context)
        return nil
    } catch let e as JinjaError {
        if e.line <= 0 || e.templateName == nil { return "error without location: \(e) for \(Value.string(source).pythonRepr())" }
        return nil
    } catch {
        return "non-Jinja error \(error) for \(Value.string(source).pythonRepr())"
    }
}

@Test func randomTemplatesNeverCrash() {
    var rng = SplitMix64(state: 0x5EED)
    let env = Environment()
    env.limits.fuel = 20_000
    env.loader = { name in name == "self" ? "{% include 'self' %}" : nil }
    let context: [String: Value] = ["x": [1, 2, 3], "items": ["a", "b"], "y": ["k": "v"]]
    var problems: [String] = []
    for _ in 0..<3000 {
        let n = Int.random(in: 1...30, using: &rng)
        var s = ""
        for _ in 0..<n { s += fragments.randomElement(using: &rng) ?? "" }
        if let p = render(env, s, context) { problems.append(p) }
    }
    #expect(problems.isEmpty, "\(problems.prefix(5))")
}

@Test func truncatedDifferentialTemplatesNeverCrash() throws {
    let dir = Fixtures.inputs
    let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".txt") }.sorted()
    var rng = SplitMix64(state: 42)
    let env = Fixtures.environment(lenient: false)
    env.limits.fuel = 50_000
    var problems: [String] = []
    var runs = 0
    for file in files {
        let raw = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
        guard let sep = raw.range(of: "\n---\n") else { continue }
        let template = Array(raw[sep.upperBound...].unicodeScalars)
        for _ in 0..<4 where template.count > 1 {
            let cut = Int.random(in: 0..<template.count, using: &rng)
            var s = String.UnicodeScalarView()
            s.append(contentsOf: template[0..<cut])
            // Also splice a random fragment in, to reach states truncation alone does not.
            s.append(contentsOf: (fragments.randomElement(using: &rng) ?? "").unicodeScalars)
            runs += 1
            if let p = render(env, String(s), ["items": [1, 2], "n": 3]) { problems.append(p) }
        }
    }
    #expect(runs > 1000)
    #expect(problems.isEmpty, "\(problems.prefix(5))")
}

@Test func hostileTemplatesEndInErrors() throws {
    let env = Environment()
    env.limits.fuel = 100_000
    let cases: [(String, JinjaError.Kind)] = [
        ("{% for i in range(100000000) %}{% endfor %}", .value),
        ("{% for i in range(5000000) %}{% endfor %}", .fuelExhausted),
        ("{{ 'x' | center(99999999999) }}", .value),
        ("{{ '{:>99999999999999999999}'.format(1) }}", .value),
        ("{% set xs = [] %}{% do xs.append(xs) %}{{ xs | tojson }}", .value),
        ("{{ 'x' | wordwrap(0) }}", .value),
        ("{{ '12' | int(base=99) }}{{ [1, 2][::9223372036854775807] }}{{ range(-9223372036854775807, 9223372036854775807, 4611686018427387904) | list }}{{ 1 | tojson(-3) }}{{ -9223372036854775807 | filesizeformat }}{{ '%c' % 99999999999 }}", .overflow),
        ("{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}", .fuelExhausted),
        ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", .recursionLimit),
        ("{{ " + String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000) + " }}", .syntax),
        ("{{ " + String(repeating: "[", count: 5000) + " }}", .syntax),
        ("{{ " + String(repeating: "not ", count: 5000) + "1 }}", .syntax),
        ("{{ " + String(repeating: "-", count: 5000) + "1 }}", .syntax),
        ("{{ x" + String(repeating: ".a", count: 5000) + " }}", .syntax),
        ("{{ " + String(repeating: "1 + ", count: 5000) + "1 }}", .syntax),
        ("{{ x" + String(repeating: "|upper", count: 5000) + " }}", .syntax),
        (String(repeating: "{% if 1 %}", count: 5000), .syntax),
        ("{{ 2 ** 64 }}", .overflow),
        ("{{ 'a' * 1000000000 }}", .value),
    ]
    for (source, kind) in cases {
        do {
            _ = try env.render(source, context: [:])
            Issue.record("expected \(kind) for \(source.prefix(40))")
        } catch let e as JinjaError {
            #expect(e.kind == kind, "\(source.prefix(40)): \(e)")
            #expect(e.line > 0)
        }
    }
}

/// Every filter, test and Python method with odd values and odd arguments: results or located
/// errors, never a trap (negative counts, overflow, huge widths, cycles).
@Test func everyBuiltinWithOddArgumentsNeverCrashes() {
    let env = Environment()
    env.limits.fuel = 200_000
    let values = ["'Hello, world'", "''", "[3, 1, 2]", "[]", "{'b': 1, 'a': 2}", "42", "-9223372036854775807",
                  "2.675", "-1e308", "none", "true", "(1, 2)", "[{'a': 1}, {'a': none}]", "nope", "cyc"]
    let args = ["", "(0)", "(-1)", "(9223372036854775807)", "(-9223372036854775807)", "(1e300)", "('')", "('x', 1)",
                "(none)", "([1])", "(true, false, '', 0)", "(width=-5)", "(attribute='a')", "('a', 'b', -3)",
                "(99999999999)", "(*[1, 2])", "(**{'k': 1})"]
    var rng = SplitMix64(state: 7)
    var problems: [String] = []
    let methods = Array(Methods.stringMethods) + Array(Methods.listMethods) + Array(Methods.dictMethods)
    let names = env.filters.keys.sorted().map { "| \($0)" } + env.tests.keys.sorted().map { "is \($0)" }
        + methods.sorted().map { ".\($0)" }
    for name in names {
        for _ in 0..<50 {
            let v = values.randomElement(using: &rng) ?? "1"
            let a = args.randomElement(using: &rng) ?? ""
            let expr = name.hasPrefix(".") ? "(\(v))\(name)\(a.isEmpty ? "()" : a)" : "(\(v)) \(name)\(a)"
            let source = "{% set cyc = [1] %}{% do cyc.append(cyc) %}{{ \(expr) }}"
            do {
                _ = try env.render(source, name: "odd", context: [:])
            } catch let e as JinjaError {
                if e.line <= 0 { problems.append("no location: \(source) \(e)") }
            } catch {
                problems.append("non-Jinja error: \(source) \(error)")
            }
        }
    }
    #expect(problems.isEmpty, "\(problems.prefix(5))")
}
