import Testing
@testable import Project

/// dbt's file checksum normalises whitespace with Python's `" ".join(text.split())`
/// (`normalize_file_contents` in dbt-core's `read_files.py`); expected values printed by Python 3.11.
@Suite struct ChecksumTests {
    @Test(arguments: [
        ("  select 1\n\tfrom  x\r\n", "select 1 from x"),
        ("a\u{1C}b\u{1F}c", "a b c"),                  // Python splits on the separators U+001C…U+001F
        ("a\u{A0}b\u{2003}c  d", "a b c d"),           // and on Unicode spaces (non-ASCII path)
        ("\n\n", ""),
        ("x\u{0B}y\u{0C}z", "x y z"),
        ("ünï  cödé\n", "ünï cödé"),
    ])
    func whitespaceIsNormalisedAsPython(input: String, expected: String) {
        #expect(ProjectFile.normalizedWhitespace(input) == Array(expected.utf8))
    }
}
