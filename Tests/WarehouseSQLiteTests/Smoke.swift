import Testing

@Test func WarehouseSQLiteTestsBuilds() { #expect(1 + 1 == 2) }
