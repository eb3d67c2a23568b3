import Testing

@Test func JinjaTestsBuilds() { #expect(1 + 1 == 2) }
