// CAST and SAFE_CAST with BigQuery's conversion rules
// (https://cloud.google.com/bigquery/docs/reference/standard-sql/conversion_functions),
// written with PostgreSQL's casts where they agree and spelled out where they do not.

extension PostgresGenerator {
    /// `CAST`/`SAFE_CAST`. Where PostgreSQL differs: FLOAT64 → INT64 rounds half away from zero
    /// in BigQuery (PostgreSQL rounds half to even), STRING → BOOL takes only `true`/`false`,
    /// NUMERIC → STRING drops trailing zeros, FLOAT64 ±inf prints `inf`, STRING → DATE/DATETIME
    /// takes only the canonical forms (PostgreSQL also reads `12/25/2008`), and the text of a
    /// DATE/DATETIME/TIMESTAMP is written with `to_char` (no DateStyle dependence).
    /// `SAFE_CAST` gives NULL where the cast would fail: checked with a pattern for strings
    /// (PostgreSQL 15 has no error-free cast), by range for numbers.
    func cast(_ value: Typed, to target: TypeName, safe: Bool, at: SourceLocation) throws -> Typed {
        guard let type = SQLType(target) else { throw refuse("CAST to \(target)", at) }
        if case .structure = type { throw refuse("CAST to STRUCT", at, hint: "STRUCT values are not translated to PostgreSQL") }
        let pg = try postgresType(type, at: at)
        if value.literal != nil, type.isTemporal {
            if safe, (try? coerce(value, to: type, at: at)) == nil { return Typed("NULL::\(pg)", type) }
            return try coerce(value, to: type, at: at)
        }
        if value.sql == "NULL" { return Typed("NULL::\(pg)", type) }
        if value.type == type { return Typed(value.sql, type) }
        let x = value.sql
        guard let from = value.type else {
            // BigQuery's conversion rules depend on the source type.
            throw refuse("\(safe ? "SAFE_CAST" : "CAST") of a value of unknown type", at, hint: "give the translator the columns of the relations it reads (SQLCatalog)")
        }
        func plain() -> Typed { Typed("(\(x))::\(pg)", type) }
        func fail(_ what: String) throws -> String {
            try raise(quoteString("Bad \(type) value: ") + " || (\(x))::text", type: type, at: at)
        }
        func checked(_ pattern: String, then converted: String) throws -> Typed {
            // The pattern is tested on the trimmed text; a non-matching value fails (or is NULL).
            let otherwise = safe ? "NULL" : try fail(type.description)
            return Typed("CASE WHEN btrim(\(x)) ~ \(quoteString(pattern)) THEN \(converted) ELSE \(otherwise) END", type)
        }
        switch (from, type) {
        case (.int64, .float64), (.int64, .numeric), (.int64, .bignumeric), (.numeric, .float64), (.bignumeric, .float64),
             (.numeric, .bignumeric), (.bignumeric, .numeric),
             (.date, .datetime), (.datetime, .date), (.datetime, .time), (.bool, .string):
            return plain()
        case (.int64, .string):
            return plain()
        case (.int64, .bool):
            return Typed("((\(x)) <> 0)", .bool)
        case (.bool, .int64):
            return Typed("(\(x))::integer::bigint", .int64)
        case (.float64, .int64):
            // Half away from zero; `x - trunc(x)` is exact in binary floating point.
            let rounded = "(trunc(\(x)) + CASE WHEN abs((\(x)) - trunc(\(x))) >= 0.5 THEN sign(\(x)) ELSE 0 END)"
            if safe {
                return Typed("CASE WHEN \(rounded) >= -9223372036854775808 AND \(rounded) < 9223372036854775808 THEN \(rounded)::bigint END", .int64)
            }
            return Typed("\(rounded)::bigint", .int64)
        case (.numeric, .int64), (.bignumeric, .int64):
            // numeric → bigint rounds half away from zero in PostgreSQL too.
            if safe { return Typed("CASE WHEN round(\(x)) BETWEEN -9223372036854775808 AND 9223372036854775807 THEN (\(x))::bigint END", .int64) }
            return plain()
        case (.float64, .numeric), (.float64, .bignumeric):
            if safe { return Typed("CASE WHEN abs(\(x)) < 1e29 THEN round((\(x))::numeric, 9) END", type) }
            return Typed("round((\(x))::numeric, 9)", type)
        case (.float64, .string):
            return Typed("CASE WHEN (\(x)) = 'Infinity'::double precision THEN 'inf' WHEN (\(x)) = '-Infinity'::double precision THEN '-inf' ELSE (\(x))::text END", .string)
        case (.numeric, .string), (.bignumeric, .string):
            return Typed("trim_scale(\(x))::text", .string)
        case (.string, .int64):
            let converted = "(btrim(\(x)))::numeric"
            if safe {
                return Typed("CASE WHEN btrim(\(x)) ~ '^[+-]?[0-9]+$' AND length(btrim(\(x))) < 22 AND \(converted) BETWEEN -9223372036854775808 AND 9223372036854775807 THEN \(converted)::bigint END", .int64)
            }
            // Hexadecimal too (`0x1F`), which PostgreSQL 15's bigint input does not read.
            let t = "btrim(\(x))"
            let hex = "^[+-]?0[xX]([0-9a-fA-F]{1,15}|[0-7][0-9a-fA-F]{15})$"
            let hexValue = "(CASE WHEN left(\(t), 1) = '-' THEN -1 ELSE 1 END * ('x' || lpad(regexp_replace(\(t), '^[+-]?0[xX]', ''), 16, '0'))::bit(64)::bigint)"
            let otherwise = try fail("INT64")
            return Typed("CASE WHEN \(t) ~ '^[+-]?[0-9]+$' THEN (\(t))::bigint WHEN \(t) ~ '\(hex)' THEN \(hexValue) ELSE \(otherwise) END", .int64)
        case (.string, .float64):
            let pattern = "^[+-]?(([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?|[iI][nN][fF]|[nN][aA][nN])$"
            if safe {
                return Typed("CASE WHEN btrim(\(x)) ~ \(quoteString(pattern)) AND length(btrim(\(x))) < 300 THEN (btrim(\(x)))::double precision END", .float64)
            }
            return try checked(pattern, then: "(btrim(\(x)))::double precision")
        case (.string, .numeric), (.string, .bignumeric):
            let pattern = "^[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?$"
            if safe {
                return Typed("CASE WHEN btrim(\(x)) ~ \(quoteString(pattern)) AND length(btrim(\(x))) < 60 AND abs((btrim(\(x)))::numeric) < 1e29 THEN round((btrim(\(x)))::numeric, 9) END", type)
            }
            return try checked(pattern, then: "round((btrim(\(x)))::numeric, 9)")
        case (.string, .bool):
            let otherwise = safe ? "NULL" : try fail("BOOL")
            return Typed("CASE lower(\(x)) WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE ELSE \(otherwise) END", .bool)
        case (.string, .date):
            if safe { throw refuse("SAFE_CAST from STRING to DATE", at, hint: "PostgreSQL 15 has no error-free date input") }
            return try checked("^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$", then: "(btrim(\(x)))::date")
        case (.string, .datetime):
            if safe { throw refuse("SAFE_CAST from STRING to DATETIME", at, hint: "PostgreSQL 15 has no error-free timestamp input") }
            return try checked("^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([ T][0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}(\\.[0-9]{1,6})?)?)?$", then: "(btrim(\(x)))::timestamp")
        case (.string, .time):
            if safe { throw refuse("SAFE_CAST from STRING to TIME", at, hint: "PostgreSQL 15 has no error-free time input") }
            return try checked("^[0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}(\\.[0-9]{1,6})?)?$", then: "(btrim(\(x)))::time")
        case (.string, .timestamp):
            if safe { throw refuse("SAFE_CAST from STRING to TIMESTAMP", at, hint: "PostgreSQL 15 has no error-free timestamp input") }
            // Without a zone the text is UTC in both (the session time zone is UTC).
            return try checked("^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([ T][0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}(\\.[0-9]{1,6})?)?)?( ?([+-][0-9]{1,2}(:[0-9]{2})?|Z|UTC))?$", then: "(btrim(\(x)))::timestamptz")
        case (.string, .bytes):
            return Typed("convert_to(\(x), 'UTF8')", .bytes)
        case (.bytes, .string):
            if safe { throw refuse("SAFE_CAST from BYTES to STRING", at) }
            return Typed("convert_from(\(x), 'UTF8')", .string)
        case (.date, .string):
            return Typed("to_char(\(x), 'YYYY-MM-DD')", .string)
        case (.datetime, .string):
            return Typed(civilText(x, date: "YYYY-MM-DD", separator: " "), .string)
        case (.timestamp, .string):
            return Typed("(\(civilText("(\(x) AT TIME ZONE 'UTC')", date: "YYYY-MM-DD", separator: " ")) || '+00')", .string)
        case (.time, .string):
            return Typed(timeText(x), .string)
        case (.date, .timestamp):
            return Typed("((\(x))::timestamp AT TIME ZONE 'UTC')", .timestamp)
        case (.datetime, .timestamp):
            return Typed("((\(x)) AT TIME ZONE 'UTC')", .timestamp)
        case (.timestamp, .date):
            return Typed("((\(x)) AT TIME ZONE 'UTC')::date", .date)
        case (.timestamp, .datetime):
            return Typed("((\(x)) AT TIME ZONE 'UTC')", .datetime)
        case (.timestamp, .time):
            return Typed("((\(x)) AT TIME ZONE 'UTC')::time", .time)
        case (.array(let a), .array(let b)) where a == nil || b == nil:
            return Typed(x, type)
        default:
            throw refuse("CAST from \(from) to \(type)", at)
        }
    }

    /// A DATETIME (`timestamp`) as BigQuery's text: `YYYY-MM-DD HH:MM:SS[.ffffff]`, the
    /// fraction with its trailing zeros dropped, as BigQuery prints it.
    func civilText(_ x: String, date: String, separator: String) -> String {
        "(to_char(\(x), '\(date)\(separator)HH24:MI:SS') || CASE WHEN extract(microseconds FROM \(x))::bigint % 1000000 = 0 THEN '' ELSE rtrim(to_char(\(x), '.US'), '0') END)"
    }

    /// A TIME as BigQuery's text `HH:MM:SS[.ffffff]`.
    func timeText(_ x: String) -> String {
        "(to_char(\(x), 'HH24:MI:SS') || CASE WHEN extract(microseconds FROM \(x))::bigint % 1000000 = 0 THEN '' ELSE rtrim(to_char(\(x), '.US'), '0') END)"
    }
}
