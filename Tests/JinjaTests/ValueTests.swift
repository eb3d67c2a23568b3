import Testing
@testable import Jinja

/// `str()`/`repr()` of values. Expected strings are what CPython 3 prints (`repr(1e-05)` …).
@Test(arguments: [
    (Value.float(1.0), "1.0"), (.float(1e-05), "1e-05"), (.float(1e16), "1e+16"), (.float(1e15), "1000000000000000.0"),
    (.float(0.1 + 0.2), "0.30000000000000004"), (.float(0.0001), "0.0001"), (.float(-0.0), "-0.0"),
    (.float(1.5e300 * 1e10), "inf"), (.float(123456789012345678), "1.2345678901234568e+17"), (.float(5e-324), "5e-324"),
    (.float(2.5e-4), "0.00025"), (.float(1e22), "1e+22"), (.float(100), "100.0"),
    (.int(-42), "-42"), (.bool(true), "True"), (.none, "None"), (.string("a'b"), "a'b"),
])
func pythonStr(_ v: Value, _ expected: String) {
    #expect(v.pythonStr() == expected)
}

@Test func pythonRepr() {
    #expect(Value.makeList(["a", 1, .none, true, 1.5]).pythonRepr() == "['a', 1, None, True, 1.5]")
    #expect(Value.string("it's").pythonRepr() == "\"it's\"")
    #expect(Value.string("both'\"").pythonRepr() == "'both\\'\"'")
    #expect(Value.string("nl\n\t\\").pythonRepr() == "'nl\\n\\t\\\\'")
    #expect(Value.string("\u{01}\u{7f}é").pythonRepr() == "'\\x01\\x7fé'")
    #expect(Value.tuple([1]).pythonRepr() == "(1,)")
    #expect(Value.tuple([]).pythonRepr() == "()")
    #expect(Value.makeDict([("a", 1), ("b", ["x"])]).pythonRepr() == "{'a': 1, 'b': ['x']}")
    #expect(Value.makeDict(valuePairs: [(1, "one"), (.tuple([1, 2]), .none)]).pythonRepr() == "{1: 'one', (1, 2): None}")
}

@Test func pythonEqualityAndDictKeys() {
    #expect(pyEquals(1, 1.0))
    #expect(pyEquals(true, 1))
    #expect(!pyEquals("1", 1))
    #expect(pyEquals(.makeList([1, 2]), .makeList([1, 2])))
    #expect(!pyEquals(.makeList([1, 2]), .tuple([1, 2])))
    // {1: 'a', 1.0: 'b', True: 'c'} == {1: 'c'} in Python.
    let d = DictStorage()
    d.set(1, "a"); d.set(1.0, "b"); d.set(true, "c")
    #expect(d.count == 1)
    #expect(Value.dict(d).pythonRepr() == "{1: 'c'}")
}

@Test func accessorsAndLiterals() {
    let v: Value = ["k": [1, 2], "s": "x"]
    #expect(v["s"]?.asString == "x")
    #expect(v["k"]?.asList?.count == 2)
    #expect(v.asDictPairs?.map { $0.0.asString ?? "" } == ["k", "s"])
    #expect(Value(3).asInt == 3)
    #expect(Value(2.5).asDouble == 2.5)
    #expect(!Value.makeList([]).isTruthy)
    #expect(Value("a").isTruthy)
}
