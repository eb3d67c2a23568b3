import Foundation
import GRDB

/// SQL functions that SQLite 3.40 lacks and models need, registered on every connection.
///
/// - `regexp(pattern, text)`: what SQLite calls for `text REGEXP pattern`
///   (<https://www.sqlite.org/lang_expr.html#the_like_glob_regexp_match_and_extract_operators>;
///   SQLite declares the operator but ships no function). The pattern is an ICU regular
///   expression (`NSRegularExpression`), searched anywhere in the text, like BigQuery's
///   `REGEXP_CONTAINS`. NULL in either argument gives NULL. A bad pattern is an SQL error.
///
/// The math functions (`sqrt`, `power`, `ln`, `floor`, …) are built into SQLite 3.40 as Debian
/// builds it (`SQLITE_ENABLE_MATH_FUNCTIONS`), so they are not redefined; see the tests.
enum SQLiteFunctions {
    static func register(in db: Database) throws {
        db.add(function: regexp)
    }

    static let regexp = DatabaseFunction("regexp", argumentCount: 2, pure: true) { values in
        guard let pattern = String.fromDatabaseValue(values[0]),
              let text = String.fromDatabaseValue(values[1]) else {
            return nil
        }
        let expression = try RegexCache.shared.expression(pattern)
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return expression.firstMatch(in: text, options: [], range: range) != nil
    }
}

/// Compiled patterns, because `REGEXP` calls the function once per row with the same pattern.
/// `@unchecked Sendable`: every access holds `lock`; `NSRegularExpression` is immutable and
/// documented thread-safe.
final class RegexCache: @unchecked Sendable {
    static let shared = RegexCache()
    private let lock = NSLock()
    private var cache: [String: NSRegularExpression] = [:]

    func expression(_ pattern: String) throws -> NSRegularExpression {
        lock.lock()
        if let cached = cache[pattern] {
            lock.unlock()
            return cached
        }
        lock.unlock()
        guard let compiled = try? NSRegularExpression(pattern: pattern) else {
            throw DatabaseError(message: "invalid regular expression: \(pattern)")
        }
        lock.lock()
        if cache.count > 256 { cache.removeAll() }
        cache[pattern] = compiled
        lock.unlock()
        return compiled
    }
}
