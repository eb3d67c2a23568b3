import Foundation
import GRDB
import SQL

/// The SQL functions that translated BigQuery SQL calls (`bq_*`), registered on every connection.
///
/// Each scalar function is registered twice: `bq_<name>` raises BigQuery's error (division by
/// zero, integer overflow, a bad cast …) as an SQL error, and `bq_safe_<name>` returns NULL
/// instead — BigQuery's `SAFE.` prefix
/// (<https://cloud.google.com/bigquery/docs/reference/standard-sql/functions-reference#safe_prefix>).
/// Values are stored as ``SQLType`` documents: dates and timestamps as canonical text, booleans
/// as 0/1, arrays and structs as JSON text.
enum BigQueryFunctions {
    typealias Body = @Sendable ([DatabaseValue]) throws -> DatabaseValueConvertible?

    static func register(in db: Database) {
        for (name, arity, function) in scalars {
            // Variadic functions check their argument count here, so that SQL calling them by
            // hand with too few arguments gets an error, never an out-of-range trap.
            let minimum = arity == nil ? (minimumArguments[name] ?? 1) : 0
            let body: Body = { values in
                guard values.count >= minimum else { throw fail("bq_\(name) needs at least \(minimum) arguments") }
                return try function(values)
            }
            db.add(function: DatabaseFunction("bq_" + name, argumentCount: arity, pure: true, function: body))
            db.add(function: DatabaseFunction("bq_safe_" + name, argumentCount: arity, pure: true) { values in
                do { return try body(values) } catch { return nil }
            })
        }
        db.add(function: DatabaseFunction("bq_current", argumentCount: 1, pure: false, function: current))
        db.add(function: DatabaseFunction("bq_generate_uuid", argumentCount: 1, pure: false) { _ in UUID().uuidString.lowercased() })
        BigQueryAggregates.register(in: db)
    }

    /// The fewest arguments each variadic function reads.
    static let minimumArguments: [String: Int] = [
        "substr": 2, "lpad": 2, "rpad": 2, "regexp_extract": 2, "instr": 2, "generate_array": 2,
        "array_to_string": 2, "construct": 3,
    ]

    /// Every scalar: name (without `bq_`), argument count (nil: variadic), body.
    static let scalars: [(String, Int?, Body)] = mathFunctions + stringFunctions + timeFunctions + timeZoneFunctions + [
        ("cast", 4, cast),
        ("error", 1, errorBody),
    ]

    static let errorBody: Body = { values in throw DatabaseError(message: text(values[0]) ?? "NULL") }

    // MARK: - Value helpers

    static func int(_ value: DatabaseValue) -> Int64? {
        switch value.storage {
        case .int64(let v): return v
        case .double(let v): return v.isFinite && v == v.rounded() && abs(v) < 9.2e18 ? Int64(v) : nil
        case .string(let s): return Int64(s)
        default: return nil
        }
    }

    static func double(_ value: DatabaseValue) -> Double? {
        switch value.storage {
        case .int64(let v): return Double(v)
        case .double(let v): return v
        case .string(let s): return Double(s)
        default: return nil
        }
    }

    static func text(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .null: return nil
        case .string(let s): return s
        case .int64(let v): return String(v)
        case .double(let v): return formatDouble(v)
        case .blob(let data): return String(decoding: data, as: UTF8.self)
        }
    }

    static func fail(_ message: String) -> DatabaseError {
        DatabaseError(message: message)
    }

    /// A FLOAT64 as BigQuery writes it in `CAST(x AS STRING)`: shortest round-trip digits,
    /// no trailing `.0` (`1`, `0.1`, `1e+20`, `inf`, `-inf`, `nan`).
    static func formatDouble(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
        var text = "\(value)"
        if let e = text.firstIndex(of: "e") {
            var mantissa = String(text[..<e])
            var exponent = String(text[text.index(after: e)...])
            if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
            if !exponent.hasPrefix("-") && !exponent.hasPrefix("+") { exponent = "+" + exponent }
            if exponent.count == 2 { exponent.insert("0", at: exponent.index(after: exponent.startIndex)) }
            text = mantissa + "e" + exponent
        }
        return text
    }

    // MARK: - Math (https://cloud.google.com/bigquery/docs/reference/standard-sql/mathematical_functions)

    static func bothInts(_ values: [DatabaseValue]) -> (Int64, Int64)? {
        if case .int64(let a) = values[0].storage, case .int64(let b) = values[1].storage { return (a, b) }
        return nil
    }

    static func isNull(_ values: [DatabaseValue]) -> Bool { values.contains { $0.isNull } }

    static func checked(_ value: Double, _ what: String) throws -> Double {
        if value.isNaN || value.isInfinite { throw fail("floating point error in \(what)") }
        return value
    }

    static let mathFunctions: [(String, Int?, Body)] = [
        ("neg", 1, { v in
            if case .int64(let a) = v[0].storage {
                guard a != Int64.min else { throw fail("int64 overflow: -\(a)") }
                return -a
            }
            return double(v[0]).map { -$0 }
        }),
        ("add", 2, { v in
            if isNull(v) { return nil }
            if let (a, b) = bothInts(v) {
                let (r, o) = a.addingReportingOverflow(b)
                if o { throw fail("int64 overflow: \(a) + \(b)") }
                return r
            }
            guard let a = double(v[0]), let b = double(v[1]) else { return nil }
            return a + b
        }),
        ("subtract", 2, { v in
            if isNull(v) { return nil }
            if let (a, b) = bothInts(v) {
                let (r, o) = a.subtractingReportingOverflow(b)
                if o { throw fail("int64 overflow: \(a) - \(b)") }
                return r
            }
            guard let a = double(v[0]), let b = double(v[1]) else { return nil }
            return a - b
        }),
        ("multiply", 2, { v in
            if isNull(v) { return nil }
            if let (a, b) = bothInts(v) {
                let (r, o) = a.multipliedReportingOverflow(by: b)
                if o { throw fail("int64 overflow: \(a) * \(b)") }
                return r
            }
            guard let a = double(v[0]), let b = double(v[1]) else { return nil }
            return a * b
        }),
        ("divide", 2, { v in
            if isNull(v) { return nil }
            guard let a = double(v[0]), let b = double(v[1]) else { return nil }
            if b == 0 { throw fail("division by zero: \(formatDouble(a)) / \(formatDouble(b))") }
            return a / b
        }),
        ("safe_divide", 2, { v in
            if isNull(v) { return nil }
            guard let a = double(v[0]), let b = double(v[1]), b != 0 else { return nil }
            return a / b
        }),
        ("ieee_divide", 2, { v in
            if isNull(v) { return nil }
            guard let a = double(v[0]), let b = double(v[1]) else { return nil }
            return a / b
        }),
        ("div", 2, { v in
            if isNull(v) { return nil }
            guard let a = int(v[0]), let b = int(v[1]) else { throw fail("DIV takes integers") }
            if b == 0 { throw fail("division by zero: DIV(\(a), 0)") }
            if a == Int64.min && b == -1 { throw fail("int64 overflow: DIV(\(a), -1)") }
            return a / b
        }),
        ("mod", 2, { v in
            if isNull(v) { return nil }
            if let (a, b) = bothInts(v) {
                if b == 0 { throw fail("division by zero: MOD(\(a), 0)") }
                if b == -1 { return Int64(0) }
                return a % b
            }
            guard let a = double(v[0]), let b = double(v[1]) else { return nil }
            if b == 0 { throw fail("division by zero: MOD") }
            return fmod(a, b)
        }),
        ("safe_add", 2, { v in try? addBody(v) }),
        ("safe_subtract", 2, { v in
            if isNull(v) { return nil }
            if let (a, b) = bothInts(v) {
                let (r, o) = a.subtractingReportingOverflow(b)
                return o ? nil : r
            }
            guard let a = double(v[0]), let b = double(v[1]) else { return nil }
            return a - b
        }),
        ("safe_multiply", 2, { v in
            if isNull(v) { return nil }
            if let (a, b) = bothInts(v) {
                let (r, o) = a.multipliedReportingOverflow(by: b)
                return o ? nil : r
            }
            guard let a = double(v[0]), let b = double(v[1]) else { return nil }
            return a * b
        }),
        ("safe_negate", 1, { v in
            if case .int64(let a) = v[0].storage { return a == Int64.min ? nil : -a }
            return double(v[0]).map { -$0 }
        }),
        ("pow", 2, { v in
            if isNull(v) { return nil }
            guard let x = double(v[0]), let y = double(v[1]) else { return nil }
            if x == 0 && y < 0 { throw fail("floating point error: POW(0, \(formatDouble(y)))") }
            if x < 0 && y != y.rounded() { throw fail("floating point error: POW of a negative number to a fractional power") }
            let r = Foundation.pow(x, y)
            if r.isInfinite && x.isFinite && y.isFinite { throw fail("floating point overflow in POW") }
            return r
        }),
        ("sqrt", 1, { v in
            guard let x = double(v[0]) else { return nil }
            if x < 0 { throw fail("argument to SQRT cannot be negative: \(formatDouble(x))") }
            return x.squareRoot()
        }),
        ("ln", 1, { v in
            guard let x = double(v[0]) else { return nil }
            if x <= 0 { throw fail("argument to LN must be positive: \(formatDouble(x))") }
            return Foundation.log(x)
        }),
        ("log", nil, { v in
            guard let x = double(v[0]) else { return nil }
            if v.count == 1 {
                if x <= 0 { throw fail("argument to LOG must be positive") }
                return Foundation.log(x)
            }
            guard let base = double(v[1]) else { return nil }
            if x <= 0 || base <= 0 || base == 1 { throw fail("invalid arguments to LOG") }
            return Foundation.log(x) / Foundation.log(base)
        }),
        ("log10", 1, { v in
            guard let x = double(v[0]) else { return nil }
            if x <= 0 { throw fail("argument to LOG10 must be positive") }
            return Foundation.log10(x)
        }),
        ("exp", 1, { v in
            guard let x = double(v[0]) else { return nil }
            let r = Foundation.exp(x)
            if r.isInfinite && x.isFinite { throw fail("floating point overflow in EXP(\(formatDouble(x)))") }
            return r
        }),
        ("sign", 1, { v in
            switch v[0].storage {
            case .int64(let a): return a.signum()
            case .double(let d): return d.isNaN ? d : (d > 0 ? 1.0 : (d < 0 ? -1.0 : 0.0))
            default: return nil
            }
        }),
        ("ceil", 1, { v in double(v[0]).map { Foundation.ceil($0) } }),
        ("floor", 1, { v in double(v[0]).map { Foundation.floor($0) } }),
        ("round", nil, { v in try roundBody(v, truncate: false) }),
        ("trunc", nil, { v in try roundBody(v, truncate: true) }),
        ("is_inf", 1, { v in double(v[0]).map { $0.isInfinite } }),
        ("is_nan", 1, { v in double(v[0]).map { $0.isNaN } }),
        ("sin", 1, { v in double(v[0]).map { Foundation.sin($0) } }),
        ("cos", 1, { v in double(v[0]).map { Foundation.cos($0) } }),
        ("tan", 1, { v in double(v[0]).map { Foundation.tan($0) } }),
        ("atan", 1, { v in double(v[0]).map { Foundation.atan($0) } }),
        ("acos", 1, { v in
            guard let x = double(v[0]) else { return nil }
            if abs(x) > 1 { throw fail("ACOS argument out of range") }
            return Foundation.acos(x)
        }),
        ("asin", 1, { v in
            guard let x = double(v[0]) else { return nil }
            if abs(x) > 1 { throw fail("ASIN argument out of range") }
            return Foundation.asin(x)
        }),
        ("atan2", 2, { v in
            guard let y = double(v[0]), let x = double(v[1]) else { return nil }
            return Foundation.atan2(y, x)
        }),
        ("cosh", 1, { v in double(v[0]).map { Foundation.cosh($0) } }),
        ("sinh", 1, { v in double(v[0]).map { Foundation.sinh($0) } }),
        ("tanh", 1, { v in double(v[0]).map { Foundation.tanh($0) } }),
        ("cbrt", 1, { v in double(v[0]).map { Foundation.cbrt($0) } }),
    ]

    static func addBody(_ v: [DatabaseValue]) throws -> DatabaseValueConvertible? {
        if isNull(v) { return nil }
        if let (a, b) = bothInts(v) {
            let (r, o) = a.addingReportingOverflow(b)
            if o { throw fail("overflow") }
            return r
        }
        guard let a = double(v[0]), let b = double(v[1]) else { return nil }
        return a + b
    }

    /// ROUND rounds halfway cases away from zero; TRUNC toward zero; both give FLOAT64 for
    /// INT64/FLOAT64 input (https://cloud.google.com/bigquery/docs/reference/standard-sql/mathematical_functions#round).
    static func roundBody(_ v: [DatabaseValue], truncate: Bool) throws -> DatabaseValueConvertible? {
        guard let x = double(v[0]) else { return nil }
        var digits: Int64 = 0
        if v.count > 1 {
            guard let d = int(v[1]) else { return nil }
            digits = d
        }
        if !x.isFinite { return x }
        let clamped = max(-30, min(30, digits))
        let scale = Foundation.pow(10.0, Double(abs(clamped)))
        func apply(_ value: Double) -> Double {
            truncate ? Foundation.trunc(value) : Foundation.round(value)  // round(): half away from zero
        }
        if clamped >= 0 {
            let scaled = x * scale
            if !scaled.isFinite { return x }
            // Decide halfway cases on the decimal text, not on the binary product (2.675 → 2.68).
            if !truncate, let exact = Decimal(string: String(x)) {
                var value = exact
                var result = Decimal()
                NSDecimalRound(&result, &value, Int(clamped), .plain)
                let rounded = NSDecimalNumber(decimal: result).doubleValue
                if rounded.isInfinite { throw fail("float64 overflow in ROUND") }
                return rounded
            }
            return apply(scaled) / scale
        }
        return apply(x / scale) * scale
    }

    static let current: Body = { v in
        let now = Date().timeIntervalSince1970
        let micros = Int64((now * 1_000_000).rounded(.down))
        switch text(v[0]) ?? "" {
        case "DATE": return CivilTime.formatDate(CivilTime.floorDiv(micros, CivilTime.microsPerDay))
        case "TIME": return CivilTime.formatTime(CivilTime.floorMod(micros, CivilTime.microsPerDay))
        default: return CivilTime.formatDateTime(micros)
        }
    }
}
