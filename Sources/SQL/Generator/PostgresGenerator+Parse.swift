// PARSE_DATE / PARSE_DATETIME / PARSE_TIMESTAMP / PARSE_TIME with a literal format
// (https://cloud.google.com/bigquery/docs/reference/standard-sql/date_functions#parse_date): the
// text must match the whole format (checked with a regular expression built from it), then
// PostgreSQL's `to_date`/`to_timestamp` read the fields (and reject impossible dates such as
// February 30, as BigQuery does).

extension PostgresGenerator {
    /// Each supported element: the text it matches, and its `to_timestamp` template pattern.
    static let parseElements: [Character: (regex: String, template: String)] = [
        "Y": ("[0-9]{1,4}", "YYYY"), "m": ("[0-9]{1,2}", "MM"), "d": ("[0-9]{1,2}", "DD"), "e": (" ?[0-9]{1,2}", "DD"),
        "H": ("[0-9]{1,2}", "HH24"), "I": ("[0-9]{1,2}", "HH12"), "M": ("[0-9]{1,2}", "MI"), "S": ("[0-9]{1,2}", "SS"),
        "p": ("[AaPp][Mm]", "AM"), "b": ("[A-Za-z]{3}", "Mon"), "h": ("[A-Za-z]{3}", "Mon"), "B": ("[A-Za-z]+", "FMMonth"),
        "a": ("[A-Za-z]{3}", "Dy"), "A": ("[A-Za-z]+", "FMDay"), "y": ("[0-9]{2}", "YY"), "j": ("[0-9]{1,3}", "DDD"),
    ]

    /// Composite elements as their parts.
    static let parseComposites: [Character: String] = [
        "F": "%Y-%m-%d", "T": "%H:%M:%S", "D": "%m/%d/%y", "x": "%m/%d/%y", "R": "%H:%M", "X": "%H:%M:%S", "c": "%a %b %e %H:%M:%S %Y",
    ]

    func parse(_ name: String, format: Expression, text: Typed, at: SourceLocation) throws -> Typed {
        let kind = String(name.dropFirst("PARSE_".count))
        guard let type = SQLType(TypeName(kind)) else { throw refuse("function \(name)", at) }
        guard case .string(var pattern) = format.kind else { throw refuse("\(name) with a format that is not a literal", at) }
        for (element, expansion) in Self.parseComposites { pattern = pattern.replacingOccurrences(of: "%\(element)", with: expansion) }
        let s = text.sql
        if text.sql == "NULL" { return Typed("NULL::\(try postgresType(type, at: at))", type) }
        if pattern == "%s", type == .timestamp {
            let fail = try raise("'Failed to parse input string ' || \(s)", type: type, at: at)
            return Typed("CASE WHEN \(s) IS NULL THEN NULL WHEN btrim(\(s)) ~ '^[+-]?[0-9]{1,12}$' THEN to_timestamp((btrim(\(s)))::double precision) ELSE \(fail) END", type)
        }
        var regex = "^\\s*"
        var template = ""
        var seen = Set<Character>()
        var characters = Array(pattern)[...]
        func literal(_ c: Character) {
            if c == " " {
                regex += "\\s*"
                template += " "
                return
            }
            regex += "[].^$|()*+?{}[\\\\]".contains(c) ? "\\\(c)" : String(c)
            // Letters and digits in a template would be read as patterns: quote them.
            template += c.isLetter || c.isNumber ? "\"\(c)\"" : String(c)
        }
        while let c = characters.popFirst() {
            guard c == "%" else { literal(c); continue }
            guard var e = characters.popFirst() else { throw SQLError(.semantic, construct: name, message: "the format ends with %", location: at) }
            if e == "%" { literal("%"); continue }
            if e == "E" {
                switch (characters.popFirst(), characters.first) {
                case ("*", "S"):
                    characters.removeFirst()
                    regex += "[0-9]{1,2}\\.[0-9]{1,6}"
                    template += "SS.US"
                    seen.insert("S")
                    continue
                case ("z", _):
                    guard type == .timestamp else { throw refuse("\(name) element %Ez", at) }
                    regex += "[+-][0-9]{2}:[0-9]{2}"
                    template += "TZH:TZM"
                    continue
                default:
                    throw refuse("\(name) element %E…", at)
                }
            }
            if e == "z" {
                guard type == .timestamp else { throw refuse("\(name) element %z", at) }
                regex += "[+-][0-9]{2}[0-9]{2}"
                template += "TZHTZM"
                continue
            }
            if e == "Z" { throw refuse("\(name) element %Z", at) }
            // Two-digit years: 69 is 1969 in BigQuery (POSIX), 2069 in PostgreSQL.
            if e == "y" { throw refuse("\(name) element %y (or %D/%x)", at, hint: "use %Y") }
            if e == "e" { e = "d"; regex += " ?" }
            guard let entry = Self.parseElements[e] else { throw refuse("\(name) element %\(e)", at) }
            regex += entry.regex.hasPrefix(" ?") ? String(entry.regex.dropFirst(2)) : entry.regex
            template += entry.template
            seen.insert(e)
        }
        regex += "\\s*$"
        let dateParts: Set<Character> = ["Y", "m", "d", "b", "h", "B", "y", "j", "a", "A"]
        let timeParts: Set<Character> = ["H", "I", "M", "S", "p"]
        if type == .time && !seen.isDisjoint(with: dateParts) { throw SQLError(.semantic, construct: name, message: "\(name) reads no date", location: at) }
        if type == .date && !seen.isDisjoint(with: timeParts) { throw SQLError(.semantic, construct: name, message: "\(name) reads no time", location: at) }
        if type != .time && !seen.contains("Y") && !seen.contains("y") {
            // BigQuery's default year is 1970; to_date's is year 1.
            throw refuse("\(name) without a year", at)
        }
        if seen.contains("I") != seen.contains("p") { throw refuse("\(name) with %I and no %p (or %p and no %I)", at) }
        let read: String
        switch type {
        case .date: read = "to_date(btrim(\(s)), \(quoteString(template)))"
        case .datetime: read = "(to_timestamp(btrim(\(s)), \(quoteString(template))) AT TIME ZONE 'UTC')"
        case .time: read = "(to_timestamp('1970-01-01 ' || btrim(\(s)), \(quoteString("YYYY-MM-DD " + template))) AT TIME ZONE 'UTC')::time"
        default: read = "to_timestamp(btrim(\(s)), \(quoteString(template)))"
        }
        let fail = try raise("'Failed to parse input string ' || \(s)", type: type, at: at)
        return Typed("CASE WHEN \(s) IS NULL THEN NULL WHEN \(s) ~ \(quoteString(regex)) THEN \(read) ELSE \(fail) END", type)
    }
}
