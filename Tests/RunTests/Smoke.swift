import Testing

@Test func RunTestsBuilds() { #expect(1 + 1 == 2) }
