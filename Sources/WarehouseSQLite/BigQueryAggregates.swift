import Foundation
import GRDB
import SQL

/// Aggregates SQLite lacks (<https://cloud.google.com/bigquery/docs/reference/standard-sql/aggregate_functions>):
///
/// - `bq_string_agg(value, separator, distinct, limit, key₁, dir₁, …)` — STRING_AGG with
///   `DISTINCT`, `ORDER BY` (keys with a direction code: +1 descending, +2 NULLs last) and `LIMIT`.
///   NULL values are skipped; no rows give NULL.
/// - `bq_array_agg(value, flags, distinct, limit, key₁, dir₁, …)` — ARRAY_AGG as JSON text
///   (flags: 1 = IGNORE NULLS, 2 = the values are JSON already: arrays, structs, booleans);
///   a NULL element is an error unless `IGNORE NULLS`; no rows give NULL.
/// - `bq_bit_and/or/xor`, `bq_stddev_samp/pop`, `bq_var_samp/pop`.
enum BigQueryAggregates {
    static func register(in db: Database) {
        // STRING_AGG and ARRAY_AGG also run as window functions (OVER …): see BigQueryWindowFunctions.
        BigQueryWindowFunctions.register(in: db)
        db.add(function: DatabaseFunction("bq_bit_and", argumentCount: 1, pure: true, aggregate: BitAggregate<BitAnd>.self))
        db.add(function: DatabaseFunction("bq_bit_or", argumentCount: 1, pure: true, aggregate: BitAggregate<BitOr>.self))
        db.add(function: DatabaseFunction("bq_bit_xor", argumentCount: 1, pure: true, aggregate: BitAggregate<BitXor>.self))
        db.add(function: DatabaseFunction("bq_stddev_samp", argumentCount: 1, pure: true, aggregate: Moments<StddevSamp>.self))
        db.add(function: DatabaseFunction("bq_stddev_pop", argumentCount: 1, pure: true, aggregate: Moments<StddevPop>.self))
        db.add(function: DatabaseFunction("bq_var_samp", argumentCount: 1, pure: true, aggregate: Moments<VarSamp>.self))
        db.add(function: DatabaseFunction("bq_var_pop", argumentCount: 1, pure: true, aggregate: Moments<VarPop>.self))
    }

    /// SQLite's ordering of values: NULL < numbers < text < blobs; text by bytes (code points).
    static func compare(_ a: DatabaseValue, _ b: DatabaseValue) -> Int {
        func rank(_ v: DatabaseValue) -> Int {
            switch v.storage {
            case .null: return 0
            case .int64, .double: return 1
            case .string: return 2
            case .blob: return 3
            }
        }
        let (ra, rb) = (rank(a), rank(b))
        if ra != rb { return ra < rb ? -1 : 1 }
        switch (a.storage, b.storage) {
        case (.int64(let x), .int64(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        case (.string(let x), .string(let y)):
            return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : (x == y ? 0 : 1)
        case (.blob(let x), .blob(let y)):
            return x.lexicographicallyPrecedes(y) ? -1 : (x == y ? 0 : 1)
        case (.null, .null): return 0
        default:
            let x = BigQueryFunctions.double(a) ?? 0, y = BigQueryFunctions.double(b) ?? 0
            return x == y ? 0 : (x < y ? -1 : 1)
        }
    }
}

/// The rows of a STRING_AGG / ARRAY_AGG (or of its window frame) and how to combine them.
struct OrderedRows {
    let isArray: Bool
    var rows: [(value: DatabaseValue, keys: [DatabaseValue])] = []
    /// Whether each row was kept (NULLs are skipped), so a window frame drops the right one.
    var kept: [Bool] = []
    var separator = ","
    var distinct = false
    var ignoreNulls = false
    var valuesAreJSON = false
    var limit: Int?
    var directions: [Int64] = []

    init(isArray: Bool) {
        self.isArray = isArray
    }

    /// The row leaving a window frame (the oldest one still in it).
    mutating func removeFirst() {
        guard !kept.isEmpty else { return }
        if kept.removeFirst(), !rows.isEmpty { rows.removeFirst() }
    }

    mutating func step(_ values: [DatabaseValue]) throws {
        guard values.count >= 4 else { throw DatabaseError(message: "bq aggregate: bad arguments") }
        if isArray {
            let flags = BigQueryFunctions.int(values[1]) ?? 0
            ignoreNulls = flags & 1 == 1
            valuesAreJSON = flags & 2 == 2
        } else {
            separator = BigQueryFunctions.text(values[1]) ?? ","
        }
        distinct = BigQueryFunctions.int(values[2]) == 1
        limit = BigQueryFunctions.int(values[3]).map(Int.init)
        var keys: [DatabaseValue] = []
        directions = []
        var index = 4
        while index + 1 < values.count {
            keys.append(values[index])
            directions.append(BigQueryFunctions.int(values[index + 1]) ?? 0)
            index += 2
        }
        let value = values[0]
        if value.isNull {
            if !isArray || ignoreNulls {
                kept.append(false)
                return
            }
            throw DatabaseError(message: "Array cannot have a null element; error in writing field (use ARRAY_AGG … IGNORE NULLS)")
        }
        kept.append(true)
        rows.append((value, keys))
    }

    func finalize() throws -> DatabaseValueConvertible? {
        var ordered = rows
        if !directions.isEmpty {
            let directions = self.directions
            ordered = rows.enumerated().sorted { l, r in
                for (i, direction) in directions.enumerated() {
                    let a = l.element.keys[i], b = r.element.keys[i]
                    let descending = direction & 1 == 1
                    let nullsLast = direction & 2 == 2
                    if a.isNull != b.isNull { return nullsLast ? !a.isNull : a.isNull }
                    let c = BigQueryAggregates.compare(a, b)
                    if c != 0 { return descending ? c > 0 : c < 0 }
                }
                return l.offset < r.offset
            }.map(\.element)
        }
        if distinct {
            var seen: [DatabaseValue] = []
            ordered = ordered.filter { row in
                if seen.contains(where: { BigQueryAggregates.compare($0, row.value) == 0 }) { return false }
                seen.append(row.value)
                return true
            }
        }
        if let limit { ordered = Array(ordered.prefix(limit)) }
        if ordered.isEmpty { return nil }
        if isArray {
            var parts: [String] = []
            for row in ordered {
                switch row.value.storage {
                case .null: parts.append("null")
                case .int64(let i): parts.append(String(i))
                case .double(let d): parts.append(d.isFinite ? "\(d)" : "null")
                case .string(let s):
                    // Nested JSON (arrays, structs, booleans from json()) is kept as JSON.
                    if valuesAreJSON {
                        parts.append(s)
                    } else {
                        parts.append(try BigQueryFunctions.json(s))
                    }
                case .blob(let data): parts.append(try BigQueryFunctions.json(data.base64EncodedString()))
                }
            }
            return "[" + parts.joined(separator: ",") + "]"
        }
        return ordered.map { BigQueryFunctions.text($0.value) ?? "" }.joined(separator: separator)
    }
}


protocol BitOperation { static func combine(_ a: Int64, _ b: Int64) -> Int64 }
enum BitAnd: BitOperation { static func combine(_ a: Int64, _ b: Int64) -> Int64 { a & b } }
enum BitOr: BitOperation { static func combine(_ a: Int64, _ b: Int64) -> Int64 { a | b } }
enum BitXor: BitOperation { static func combine(_ a: Int64, _ b: Int64) -> Int64 { a ^ b } }

struct BitAggregate<Op: BitOperation>: DatabaseAggregate {
    var result: Int64?
    init() {}
    mutating func step(_ values: [DatabaseValue]) throws {
        guard let x = BigQueryFunctions.int(values[0]) else { return }
        result = result.map { Op.combine($0, x) } ?? x
    }
    func finalize() throws -> DatabaseValueConvertible? { result }
}

protocol MomentKind { static func value(n: Double, mean: Double, m2: Double) -> Double? }
enum StddevSamp: MomentKind { static func value(n: Double, mean: Double, m2: Double) -> Double? { n < 2 ? nil : (m2 / (n - 1)).squareRoot() } }
enum StddevPop: MomentKind { static func value(n: Double, mean: Double, m2: Double) -> Double? { n < 1 ? nil : (m2 / n).squareRoot() } }
enum VarSamp: MomentKind { static func value(n: Double, mean: Double, m2: Double) -> Double? { n < 2 ? nil : m2 / (n - 1) } }
enum VarPop: MomentKind { static func value(n: Double, mean: Double, m2: Double) -> Double? { n < 1 ? nil : m2 / n } }

/// Welford's running mean and sum of squared deviations.
struct Moments<Kind: MomentKind>: DatabaseAggregate {
    var n = 0.0, mean = 0.0, m2 = 0.0
    init() {}
    mutating func step(_ values: [DatabaseValue]) throws {
        guard let x = BigQueryFunctions.double(values[0]) else { return }
        n += 1
        let delta = x - mean
        mean += delta / n
        m2 += delta * (x - mean)
    }
    func finalize() throws -> DatabaseValueConvertible? { Kind.value(n: n, mean: mean, m2: m2) }
}
