import Foundation
import Testing
@testable import Jinja

/// Our parse trees, dumped in Jinja2's node notation, equal Jinja2's own
/// (`Inputs/_parser/<name>.ast` is `repr(env.parse(source))` written by the oracle script).
@Test func parseTreesMatchJinja2() throws {
    let dir = Fixtures.inputs.appendingPathComponent("_parser")
    let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".tmpl") }.sorted()
    #expect(files.count >= 10)
    let env = Environment()
    for file in files {
        let source = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
        let expected = try String(contentsOf: dir.appendingPathComponent(String(file.dropLast(5)) + ".ast"), encoding: .utf8)
        let template = try env.parse(source, name: file)
        #expect(ASTDump.template(template.body) + "\n" == expected, "\(file)")
    }
}

@Test func spansPointAtTokens() throws {
    var parser = try Parser(source: "ab\n  {{ x }}\n{% if y %}{% endif %}", name: "t")
    let body = try parser.parseTemplate()
    guard case .output(let e, let span) = body[1], case .ifs(_, _, let ifSpan) = body[3] else {
        Issue.record("unexpected tree \(body)")
        return
    }
    #expect((span.line, span.column) == (2, 3))
    #expect((e.span.line, e.span.column) == (2, 6))
    #expect((ifSpan.line, ifSpan.column) == (3, 4))
}
