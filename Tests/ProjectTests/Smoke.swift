import Testing

@Test func ProjectTestsBuilds() { #expect(1 + 1 == 2) }
