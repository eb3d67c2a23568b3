/// Trap-free helpers for operations whose size or range comes from template input.
///
/// Swift traps on negative repeat counts, integer overflow and out-of-range conversions; a
/// template must never be able to trigger those, so every such operation goes through here.
enum Safe {
    /// Upper bound for one string built by repetition or padding (bytes).
    static let maxStringBytes = 100_000_000
    /// Upper bound for a width, precision or count taken from a template.
    static let maxWidth = 10_000_000

    /// `String(repeating:count:)`: non-positive counts give "", oversized results throw.
    static func repeated(_ s: String, _ n: Int) throws -> String {
        if n <= 0 || s.isEmpty { return "" }
        let (total, overflow) = s.utf8.count.multipliedReportingOverflow(by: n)
        if overflow || total > maxStringBytes {
            throw JinjaError(.value, "result too large (\(n) repetitions of \(s.utf8.count) bytes)")
        }
        return String(repeating: s, count: n)
    }

    /// `Int(d)` when `d` is finite and in range.
    static func int(_ d: Double) -> Int? {
        guard d.isFinite, d > -9.2e18, d < 9.2e18 else { return nil }
        return Int(d)
    }

    /// Rejects widths/precisions/counts that would make an output explode.
    static func width(_ n: Int) throws -> Int {
        if n > maxWidth { throw JinjaError(.value, "width or count too large (\(n))") }
        return n
    }

    /// `a * 10 + d` for parsing digit strings, failing on overflow.
    static func appendDigit(_ a: Int, _ d: Int) throws -> Int {
        let (m, o1) = a.multipliedReportingOverflow(by: 10)
        let (r, o2) = m.addingReportingOverflow(d)
        if o1 || o2 { throw JinjaError(.value, "number too large in format specification") }
        return r
    }

    /// A Unicode scalar from an integer code point, if valid.
    static func scalar(_ n: Int) -> Unicode.Scalar? {
        guard let u = UInt32(exactly: n) else { return nil }
        return Unicode.Scalar(u)
    }
}
