import Testing

@Test func CLITestsBuilds() { #expect(1 + 1 == 2) }
