import Testing
@testable import Project

/// YAML values and errors, checked against PyYAML's `safe_load` (dbt's YAML reader).
@Suite struct YAMLReaderTests {
    @Test func scalarsResolveAsPyYAMLDoes() throws {
        // PyYAML: {'a': True, 'b': False, 'c': None, 'd': 31, 'e': 1000, 'g': 0.5, 'h': '1e3', 'i': '1e3', 'k': 'x'}
        let v = try YAMLReader.parse("a: yes\nb: off\nc: ~\nd: 0x1F\ne: 1_000\ng: .5\nh: 1e3\ni: \"1e3\"\nk: x\n", file: "t.yml")
        #expect(v["a"] == .bool(true))
        #expect(v["b"] == .bool(false))
        #expect(v["c"] == .null)
        #expect(v["d"] == .int(31))
        #expect(v["e"] == .int(1000))
        #expect(v["g"] == .double(0.5))
        #expect(v["h"] == .string("1e3"))
        #expect(v["i"] == .string("1e3"))
        #expect(v["k"] == .string("x"))
    }

    @Test func mappingsKeepOrderAndMergeKeys() throws {
        let v = try YAMLReader.parse("base: &b {x: 1, y: 2}\nz: 0\nm:\n  <<: *b\n  y: 3\n", file: "t.yml")
        #expect(v.asDict?.keys == ["base", "z", "m"])
        // PyYAML: {'x': 1, 'y': 3}
        #expect(v["m"] == ["x": 1, "y": 3])
    }

    @Test func badIndentationNamesLineAndColumn() throws {
        // PyYAML: "expected <block end>, but found '<block mapping start>'" at line 6, column 6.
        let text = "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: x\n     description: bad\n"
        do {
            _ = try YAMLReader.parse(text, file: "models/schema.yml")
            Issue.record("expected a YAML error")
        } catch let e as ProjectError {
            #expect(e.kind == .yamlSyntax)
            #expect(e.location?.file == "models/schema.yml")
            #expect(e.location?.line == 6)
            #expect(e.location?.column == 6)
            #expect(e.hint != nil)
            #expect(e.description.hasPrefix("models/schema.yml:6:6: "))
        }
    }

    @Test func unclosedFlowSequenceNamesLine() throws {
        // PyYAML: "expected ',' or ']', but got ':'" at line 2, column 2.
        do {
            _ = try YAMLReader.parse("a: [1, 2\nb: 3\n", file: "x.yml")
            Issue.record("expected a YAML error")
        } catch let e as ProjectError {
            #expect(e.kind == .yamlSyntax)
            #expect(e.location?.line == 2)
        }
    }

    @Test func pythonReprMatchesCPython() {
        // CPython: repr("it's") == '"it\'s"'; repr('a"b') == '\'a"b\''; repr('t\tn\n') == "'t\\tn\\n'"
        #expect(PythonFormat.repr("it's") == "\"it's\"")
        #expect(PythonFormat.repr("a\"b") == "'a\"b'")
        #expect(PythonFormat.repr("t\tn\n") == "'t\\tn\\n'")
        #expect(PythonFormat.repr("both'\"") == "'both\\'\"'")
        #expect(PythonFormat.repr("é\u{7f}") == "'é\\x7f'")
        #expect(ConfigValue.array([1, "a", true, nil, 1.5]).pythonRepr == "[1, 'a', True, None, 1.5]")
    }

    @Test func digestsMatchKnownVectors() {
        // RFC 1321 and FIPS 180-2 test vectors.
        #expect(Digest.md5Hex("") == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(Digest.md5Hex("The quick brown fox jumps over the lazy dog") == "9e107d9d372bb6826bd81d3542a419d6")
        #expect(Digest.sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.sha256Hex(Array(String(repeating: "a", count: 1000).utf8))
                == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
