import Foundation
import Testing
@testable import Jinja

/// dbt-facing API: block tags, modules, `return()`, host objects, errors, concurrency.

private func dbtEnvironment() -> Environment {
    let env = Environment()
    env.registerMacroBlock(tag: "test") { name, _ in "test_" + name }
    env.registerMacroBlock(tag: "materialization") { name, options in
        let adapter = options.keyword("adapter")?.asString ?? "default"
        return "materialization_\(name)_\(adapter)"
    }
    env.registerCaptureBlock(tag: "docs")
    env.registerCaptureBlock(tag: "snapshot")
    return env
}

@Test func dbtBlockTagsDefineMacrosAndCaptures() throws {
    let env = dbtEnvironment()
    let source = """
    {% test not_null(model, column_name) %}select * from {{ model }} where {{ column_name }} is null{% endtest %}
    {% materialization table, adapter='sqlite' %}create table {{ this }}{% endmaterialization %}
    {% materialization view, supported_languages=['sql'] %}v{% endmaterialization %}
    {% docs orders %}
    One row per **order**. {{ doc('x') }}
    {% enddocs %}
    {% snapshot orders_snap %}{{ config(strategy='check') }} select 1{% endsnapshot %}
    """
    let module = try env.module(try env.parse(source, name: "macros.sql"))
    #expect(Set(module.macros.keys) == ["test_not_null", "materialization_table_sqlite", "materialization_view_default"])
    #expect(module.captured("docs")["orders"] == "\nOne row per **order**. {{ doc('x') }}\n")
    #expect(module.captured("snapshot")["orders_snap"] == "{{ config(strategy='check') }} select 1")
    let test = try #require(module.exports["test_not_null"])
    let sql = try env.call(test, Arguments(["orders", "id"]))
    #expect(sql.asString == "select * from orders where id is null")
    let mat = try #require(module.exports["materialization_table_sqlite"])
    #expect(try env.call(mat, Arguments(), context: ["this": "main.t"]).asString == "create table main.t")
}

@Test func moduleMacrosResolveFreeNamesInTheCallersContext() throws {
    let env = Environment()
    let module = try env.module(try env.parse("""
    {% set suffix = '_v1' %}
    {% macro name_of(x) %}{{ prefix }}{{ x }}{{ suffix }}{% endmacro %}
    """, name: "m.sql"))
    #expect(module.exports["suffix"]?.asString == "_v1")
    let macro = try #require(module.exports["name_of"])
    // Two renders with different contexts call the same macro value.
    let a = try env.render("{{ name_of('t') }}", context: ["name_of": macro, "prefix": "a."])
    let b = try env.render("{{ name_of('t') }}", context: ["name_of": macro, "prefix": "b."])
    #expect(a == "a.t_v1")
    #expect(b == "b.t_v1")
}

@Test func macroReturnGivesTheValueToTheCaller() throws {
    let env = Environment()
    env.addFunction("return") { args, _ in throw MacroReturn(args.positional.first ?? .none) }
    let out = try env.render("""
    {% macro cols() %}ignored text{{ return(['a', 'b']) }}more{% endmacro %}
    {%- set c = cols() -%}{{ c | join(',') }} {{ c is string }}
    """)
    #expect(out == "a,b False")
}

final class Relation: JinjaObject {
    let schema: String, identifier: String
    init(_ s: String, _ i: String) { schema = s; identifier = i }
    func attribute(_ name: String) -> Value? {
        switch name {
        case "schema": return .string(schema)
        case "identifier": return .string(identifier)
        case "include":
            return .function(NativeFunction("include") { args, _ in
                .object(Relation(args.keyword("schema")?.isTruthy == false ? "" : self.schema, self.identifier))
            })
        default: return nil
        }
    }
    var pythonStr: String { schema.isEmpty ? "\"\(identifier)\"" : "\"\(schema)\".\"\(identifier)\"" }
}

final class ConfigRecorder: JinjaObject, @unchecked Sendable {
    var calls: [String] = []
    func attribute(_ name: String) -> Value? { nil }
    func call(_ args: Arguments, _ state: State) throws -> Value {
        calls.append(args.keyword.map { "\($0.0)=\($0.1.pythonRepr())" }.joined(separator: ","))
        return ""
    }
}

@Test func hostObjectsAttributesStrAndCalls() throws {
    let env = Environment()
    let config = ConfigRecorder()
    let out = try env.render(
        "{{ config(materialized='table', tags=['x']) }}select * from {{ this }} -- {{ this.schema }} {{ this.include(schema=false) }} {{ this.nope is defined }}",
        context: ["this": .object(Relation("main", "orders")), "config": .object(config)])
    #expect(out == "select * from \"main\".\"orders\" -- main \"orders\" False")
    #expect(config.calls == ["materialized='table',tags=['x']"])
}

@Test func listsHaveReferenceSemantics() throws {
    let env = Environment()
    let storage = ListStorage([1])
    _ = try env.render("{% do xs.append(2) %}{% set ys = xs %}{% do ys.append(3) %}", context: ["xs": .list(storage)])
    #expect(Value.list(storage).pythonRepr() == "[1, 2, 3]")
}

@Test func errorsCarryTemplateLineAndColumn() throws {
    let env = Environment()
    do {
        _ = try env.render("line one\n{% if true %}\n  {{ missing_thing }}\n{% endif %}", name: "models/x.sql")
        Issue.record("expected an error")
    } catch let e as JinjaError {
        #expect(e.kind == .undefined)
        #expect(e.message == "'missing_thing' is undefined")
        #expect(e.templateName == "models/x.sql")
        #expect(e.line == 3)
        #expect(e.column == 3)
    }
    do {
        _ = try env.render("{{ 1 +\n }}", name: "bad.sql")
        Issue.record("expected an error")
    } catch let e as JinjaError {
        #expect(e.kind == .syntax)
        #expect(e.line == 2)
    }
    // Errors inside a macro point into the macro's template.
    env.loader = { $0 == "lib.sql" ? "{% macro boom() %}\n\n{{ 1 // 0 }}{% endmacro %}" : nil }
    do {
        _ = try env.render("{% from 'lib.sql' import boom %}{{ boom() }}", name: "caller.sql")
        Issue.record("expected an error")
    } catch let e as JinjaError {
        #expect(e.templateName == "lib.sql")
        #expect(e.line == 3)
    }
}

@Test func lenientModeLikeDbtParsePhase() throws {
    let env = Environment()
    env.undefinedBehavior = .lenient
    #expect(try env.render("[{{ nope }}]{% for x in nope %}x{% endfor %}{{ nope | default('d') }}") == "[]d")
    #expect(throws: JinjaError.self) { try env.render("{{ nope.attr }}") }
}

/// Many threads render the same cached template and call the same macro value; every output
/// equals Jinja2's (the committed oracle output of the `dbt_union_relations` case).
@Test func concurrentRendersShareTemplatesAndMacros() throws {
    let dir = Fixtures.inputs
    let raw = try String(contentsOf: dir.appendingPathComponent("dbt_union_relations.txt"), encoding: .utf8)
    let expected = try String(contentsOf: dir.appendingPathComponent("dbt_union_relations.expected"), encoding: .utf8)
    let sep = try #require(raw.range(of: "\n---\n"))
    var reader = JSONReader(String(raw[..<sep.lowerBound]))
    guard case .dict(let d) = try reader.parse() else { return }
    var context: [String: Value] = [:]
    for (k, v) in zip(d.keys, d.values) { context[k.asString ?? ""] = v }
    let env = Environment()
    let source = String(raw[sep.upperBound...])
    let ctx = context
    let results = ResultBox(count: 2000)
    DispatchQueue.concurrentPerform(iterations: 2000) { i in
        let t = try? env.parseCached(source, name: "union")
        results.set(i, t.flatMap { try? env.render($0, context: ctx) })
    }
    #expect(results.all { $0 == expected })
}

final class ResultBox: @unchecked Sendable {
    private var values: [String?]
    private let lock = NSLock()
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: String?) { lock.lock(); values[i] = v; lock.unlock() }
    func all(_ p: (String?) -> Bool) -> Bool { lock.lock(); defer { lock.unlock() }; return values.allSatisfy(p) }
}

@Test func callBlocksPassTheirBodyToNativeFunctionsAsCaller() throws {
    let env = Environment()
    env.addFunction("statement") { args, state in
        let name = args.positional.first?.asString ?? ""
        let body = try state.call(args.keyword("caller") ?? .none, Arguments())
        return .string("[\(name): \(body.pythonStr())]")
    }
    #expect(try env.render("{% call statement('main') %}select {{ 1 + 1 }}{% endcall %}") == "[main: select 2]")
}

@Test func argumentsBindLikePython() throws {
    let args = Arguments([1], keyword: [("b", 2)])
    let bound = try args.bind("f", ["a", "b", "c"])
    #expect(bound[0]?.asInt == 1)
    #expect(bound[1]?.asInt == 2)
    #expect(bound[2] == nil)
    #expect(throws: JinjaError.self) { try Arguments([1, 2]).bind("f", ["a"]) }
    #expect(throws: JinjaError.self) { try Arguments(keyword: [("z", 1)]).bind("f", ["a"]) }
    #expect(throws: JinjaError.self) { try Arguments([1], keyword: [("a", 1)]).bind("f", ["a"]) }
}

@Test func loaderTemplatesAreParsedOnceAndRendered() throws {
    let env = Environment()
    env.loader = { $0 == "page.sql" ? "{{ greeting }}, {{ name }}" : nil }
    let a = try env.template(named: "page.sql")
    let b = try env.template(named: "page.sql")
    #expect(a === b)
    #expect(try env.renderTemplate(named: "page.sql", context: ["greeting": "hi", "name": "Ann"]) == "hi, Ann")
    #expect(throws: JinjaError.self) { try env.template(named: "missing.sql") }
}
