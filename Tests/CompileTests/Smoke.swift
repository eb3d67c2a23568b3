import Testing

@Test func CompileTestsBuilds() { #expect(1 + 1 == 2) }
