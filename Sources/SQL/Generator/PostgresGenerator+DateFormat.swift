// FORMAT_DATE / FORMAT_DATETIME / FORMAT_TIMESTAMP / FORMAT_TIME: BigQuery's format elements
// (https://cloud.google.com/bigquery/docs/reference/standard-sql/format-elements#format_elements_date_time)
// as `to_char` patterns (https://www.postgresql.org/docs/15/functions-formatting.html) or
// expressions. Names of days and months are English in both (`to_char` without the TM prefix).

extension PostgresGenerator {
    /// `to_char` patterns of the elements that have one.
    static let formatPatterns: [Character: String] = [
        "A": "FMDay", "a": "Dy", "B": "FMMonth", "b": "Mon", "h": "Mon", "D": "MM/DD/YY", "d": "DD",
        "F": "YYYY-MM-DD", "G": "IYYY", "g": "IY", "H": "HH24", "I": "HH12", "j": "DDD", "M": "MI",
        "m": "MM", "p": "AM", "P": "am", "Q": "Q", "R": "HH24:MI", "S": "SS", "T": "HH24:MI:SS",
        "u": "ID", "V": "IW", "X": "HH24:MI:SS", "x": "MM/DD/YY", "y": "YY", "r": "HH12:MI:SS AM",
    ]

    /// Elements that read the time of day (refused for a DATE) and the date (refused for a TIME).
    static let timeElements: Set<Character> = ["H", "I", "M", "S", "p", "P", "R", "T", "X", "k", "l", "c", "s", "f", "r"]

    func format(_ pattern: String, _ value: Typed, zone: String, at: SourceLocation) throws -> Typed {
        if value.sql == "NULL" { return Typed("NULL::text", .string) }
        let type = value.type ?? .date
        let x: String
        switch type {
        case .timestamp: x = "(\(value.sql) AT TIME ZONE \(zone))"
        case .time: x = "(TIMESTAMP '2000-01-01' + \(value.sql))"
        default: x = value.sql
        }
        var pieces: [String] = []
        var literal = ""
        func flush() {
            if !literal.isEmpty { pieces.append(quoteString(literal)) }
            literal = ""
        }
        func add(_ sql: String) {
            flush()
            pieces.append(sql)
        }
        var characters = Array(pattern)[...]
        while let c = characters.popFirst() {
            guard c == "%" else { literal.append(c); continue }
            guard var e = characters.popFirst() else {
                throw SQLError(.semantic, construct: "format", message: "the format ends with %", location: at)
            }
            var fraction: Int?
            if e == "E" {
                // %E#S / %E*S: seconds with # (or 6) fractional digits; %E4Y: a 4-digit year; %Ez: +00:00.
                switch characters.popFirst() {
                case "*": fraction = 6
                case "4" where characters.first == "Y":
                    characters.removeFirst()
                    add("lpad(extract(year FROM \(x))::bigint::text, 4, '0')")
                    continue
                case "z":
                    guard type == .timestamp, zone == "'UTC'" else { throw refuse("format element %Ez outside a TIMESTAMP in UTC", at) }
                    literal += "+00:00"
                    continue
                case let digit? where digit.wholeNumberValue != nil:
                    fraction = digit.wholeNumberValue
                default:
                    throw refuse("format element %E…", at)
                }
                guard characters.popFirst() == "S", let n = fraction, n <= 6 else { throw refuse("format element %E…S", at) }
                e = "S"
            }
            // BigQuery rejects a time element for a DATE and a date element for a TIME.
            if type == .date && Self.timeElements.contains(e) {
                throw SQLError(.semantic, construct: "format element %\(e)", message: "format element %\(e) is not valid for DATE", location: at)
            }
            if type == .time && !Self.timeElements.contains(e) && !"%nt".contains(e) {
                throw SQLError(.semantic, construct: "format element %\(e)", message: "format element %\(e) is not valid for TIME", location: at)
            }
            if let fraction {
                add(fraction == 0 ? "to_char(\(x), 'SS')" : "(to_char(\(x), 'SS.') || left(to_char(\(x), 'US'), \(fraction)))")
                continue
            }
            switch e {
            case "%": literal.append("%")
            case "n": literal.append("\n")
            case "t": literal.append("\t")
            case "e": add("lpad(to_char(\(x), 'FMDD'), 2, ' ')")
            case "k": add("lpad(to_char(\(x), 'FMHH24'), 2, ' ')")
            case "l": add("lpad(to_char(\(x), 'FMHH12'), 2, ' ')")
            case "C": add("lpad((extract(year FROM \(x))::bigint / 100)::text, 2, '0')")
            case "w": add("extract(dow FROM \(x))::bigint::text")
            // The year and ISO year without padding, as BigQuery prints them (year 1 is "1").
            case "Y": add("extract(year FROM \(x))::bigint::text")
            case "G": add("extract(isoyear FROM \(x))::bigint::text")
            case "f": add("to_char(\(x), 'US')")
            case "c":
                add("(to_char(\(x), 'Dy Mon ') || lpad(to_char(\(x), 'FMDD'), 2, ' ') || to_char(\(x), ' HH24:MI:SS ') || extract(year FROM \(x))::bigint::text)")
            case "U", "W":
                let start = e == "U" ? 0 : 1
                let dow = "((extract(dow FROM \(x))::bigint + \(7 - start)) % 7)"
                add("lpad(((extract(doy FROM \(x))::bigint + 6 - \(dow)) / 7)::text, 2, '0')")
            case "s":
                add("floor(extract(epoch FROM \(type == .timestamp ? value.sql : x)))::bigint::text")
            case "Z":
                guard type == .timestamp, zone == "'UTC'" else { throw refuse("format element %Z outside a TIMESTAMP in UTC", at) }
                literal += "UTC"
            case "z":
                guard type == .timestamp, zone == "'UTC'" else { throw refuse("format element %z outside a TIMESTAMP in UTC", at) }
                literal += "+0000"
            default:
                guard let code = Self.formatPatterns[e] else { throw refuse("format element %\(e)", at) }
                add("to_char(\(x), '\(code)')")
            }
        }
        flush()
        guard !pieces.isEmpty else { return Typed("CASE WHEN \(value.sql) IS NULL THEN NULL ELSE '' END", .string) }
        let body = pieces.count == 1 ? pieces[0] : "(" + pieces.joined(separator: " || ") + ")"
        // A NULL value gives NULL even when the format reads nothing of it.
        return Typed("CASE WHEN \(value.sql) IS NULL THEN NULL ELSE \(body) END", .string)
    }
}
