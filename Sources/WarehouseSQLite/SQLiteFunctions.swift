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
/// - `md5(value)`: 32 lower-case hex digits of the MD5 of the value's text (blobs: their bytes);
///   NULL gives NULL. dbt's `hash` macro is `md5(cast(x as varchar))` and dbt-bigquery's is
///   `to_hex(md5(cast(x as string)))`: both give this text. `generate_surrogate_key` and
///   snapshots' `dbt_scd_id` depend on it.
/// - `split_part(text, delimiter, part)`: the 1-based `part` of `text` split on `delimiter`,
///   counted from the end when negative, NULL when out of range — what dbt-bigquery's
///   `split_part` (`split(…)[safe_offset(…)]`) returns. An empty delimiter splits into
///   characters, as BigQuery's `SPLIT` does.
/// - `concat(a, b, …)`: the texts joined, NULL when any is NULL — BigQuery's `CONCAT`, and what
///   SQLite's `||` does (SQLite adds `concat()` only in 3.44, ignoring NULLs; we keep BigQuery's
///   rule).
///
/// The math functions (`sqrt`, `power`, `ln`, `floor`, …) are built into SQLite 3.40 as Debian
/// builds it (`SQLITE_ENABLE_MATH_FUNCTIONS`), so they are not redefined; see the tests.
enum SQLiteFunctions {
    static func register(in db: Database) throws {
        db.add(function: regexp)
        db.add(function: md5)
        db.add(function: splitPart)
        db.add(function: concat)
    }

    static let md5 = DatabaseFunction("md5", argumentCount: 1, pure: true) { values in
        if case .blob(let data) = values[0].storage { return MD5.hex([UInt8](data)) }
        return sqliteText(values[0]).map { MD5.hex(Array($0.utf8)) }
    }

    static let splitPart = DatabaseFunction("split_part", argumentCount: 3, pure: true) { values in
        guard let text = String.fromDatabaseValue(values[0]),
              let delimiter = String.fromDatabaseValue(values[1]),
              let part = Int.fromDatabaseValue(values[2]) else { return nil }
        // BigQuery's SPLIT: an empty delimiter splits into characters; "" is one empty piece.
        let pieces: [String] = delimiter.isEmpty ? (text.isEmpty ? [""] : text.map(String.init)) : text.components(separatedBy: delimiter)
        let index = part > 0 ? part - 1 : pieces.count + part
        guard part != 0, index >= 0, index < pieces.count else { return nil }
        return pieces[index]
    }

    static let concat = DatabaseFunction("concat", argumentCount: nil, pure: true) { values in
        var result = ""
        for value in values {
            guard let text = sqliteText(value) else { return nil }
            result += text
        }
        return result
    }

    /// A value as `CAST(value AS TEXT)` writes it: integers in decimal, reals as `%!.15g`
    /// (`2.0`, `1.5`, `1.0e+20`), blobs as their bytes read as UTF-8; NULL stays nil.
    /// <https://www.sqlite.org/lang_expr.html#castexpr>
    static func sqliteText(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .null: return nil
        case .string(let text): return text
        case .int64(let int): return String(int)
        case .blob(let data): return String(decoding: data, as: UTF8.self)
        case .double(let double):
            if double.isNaN { return nil }
            if double.isInfinite { return double < 0 ? "-Inf" : "Inf" }
            var text = String(format: "%.15g", double)
            // SQLite's `!` flag: a real always shows a decimal point.
            if !text.contains(".") {
                if let e = text.firstIndex(of: "e") {
                    text.insert(contentsOf: ".0", at: e)
                } else {
                    text += ".0"
                }
            }
            return text
        }
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
