// FORMAT(format, values…) with a literal format
// (https://cloud.google.com/bigquery/docs/reference/standard-sql/string_functions#format_string):
// %d %i %x %X %s %t %T %% with the flags - + space 0 ' and a width. Floating-point specifiers
// (%f %e %g) are refused: printf rounds the exact binary value, which PostgreSQL's decimal
// conversions do not reproduce.

extension PostgresGenerator {
    func formatFunction(_ call: Call, _ args: [Typed], at: SourceLocation) throws -> Typed {
        guard let first = call.arguments.first, case .string(let pattern) = first.kind else {
            throw refuse("FORMAT with a format that is not a literal", at)
        }
        var pieces: [String] = []
        var literal = ""
        var next = 1
        func flush() {
            if !literal.isEmpty { pieces.append(quoteString(literal)) }
            literal = ""
        }
        var characters = Array(pattern)[...]
        while let c = characters.popFirst() {
            guard c == "%" else { literal.append(c); continue }
            var flags = Set<Character>()
            while let f = characters.first, "-+ 0'#".contains(f) { flags.insert(f); characters.removeFirst() }
            var widthText = ""
            while let d = characters.first, d.isNumber { widthText.append(d); characters.removeFirst() }
            var precision: Int?
            if characters.first == "." {
                characters.removeFirst()
                var digits = ""
                while let d = characters.first, d.isNumber { digits.append(d); characters.removeFirst() }
                precision = Int(digits) ?? 0
            }
            guard let specifier = characters.popFirst() else {
                throw SQLError(.semantic, construct: "FORMAT", message: "the format ends inside a specifier", location: at)
            }
            if specifier == "%" { literal.append("%"); continue }
            if flags.contains("#") || widthText.hasPrefix("*") { throw refuse("FORMAT flag # or * width", at) }
            guard next < args.count else {
                throw SQLError(.semantic, construct: "FORMAT", message: "FORMAT has too few arguments for its format", location: at)
            }
            let value = args[next]
            next += 1
            let v = value.sql
            var text: String
            switch specifier {
            case "d", "i":
                guard value.type == .int64 || value.sql == "NULL" else { throw refuse("FORMAT %\(specifier) of \(value.type?.description ?? "a value of unknown type")", at) }
                if precision != nil { throw refuse("FORMAT %\(specifier) with a precision", at) }
                text = flags.contains("'") ? "to_char(\(v), 'FM999,999,999,999,999,999,990')" : "(\(v))::text"
                if flags.contains("+") { text = "(CASE WHEN \(v) >= 0 THEN '+' ELSE '' END || \(text))" } else if flags.contains(" ") { text = "(CASE WHEN \(v) >= 0 THEN ' ' ELSE '' END || \(text))" }
                if flags.contains("0"), !flags.contains("-"), let width = Int(widthText) {
                    if flags.contains("'") || flags.contains("+") || flags.contains(" ") { throw refuse("FORMAT 0 flag with other flags", at) }
                    text = "CASE WHEN \(v) < 0 THEN '-' || lpad(ltrim((\(v))::text, '-'), \(width - 1), '0') WHEN length((\(v))::text) >= \(width) THEN (\(v))::text ELSE lpad((\(v))::text, \(width), '0') END"
                }
            case "x", "X":
                guard value.type == .int64 || value.sql == "NULL" else { throw refuse("FORMAT %\(specifier) of a non-INT64 value", at) }
                let fail = try raise("'FORMAT %\(specifier) of a negative value ' || \(v)", type: .string, at: at)
                text = "CASE WHEN \(v) < 0 THEN \(fail) ELSE \(specifier == "X" ? "upper(to_hex(\(v)))" : "to_hex(\(v))") END"
            case "s", "t", "T":
                switch value.type {
                case .string:
                    text = specifier == "T" ? "('\"' || replace(replace(\(v), '\\', '\\\\'), '\"', '\\\"') || '\"')" : v
                case .int64, .bool:
                    text = "(\(v))::text"
                case .date where specifier != "s":
                    text = specifier == "T" ? "('DATE \"' || to_char(\(v), 'YYYY-MM-DD') || '\"')" : "to_char(\(v), 'YYYY-MM-DD')"
                case nil where value.sql == "NULL":
                    text = "NULL"
                default:
                    throw refuse("FORMAT %\(specifier) of \(value.type?.description ?? "a value of unknown type")", at)
                }
                if let precision { text = "left(\(text), \(precision))" }
            default:
                throw refuse("FORMAT %\(specifier)", at)
            }
            // A NULL value prints as NULL; the width pads with spaces and never truncates.
            text = "coalesce(\(text), 'NULL')"
            if let width = Int(widthText), !(flags.contains("0") && "di".contains(specifier) && !flags.contains("-")) {
                let pad = flags.contains("-") ? "rpad" : "lpad"
                text = "CASE WHEN char_length(\(text)) >= \(width) THEN \(text) ELSE \(pad)(\(text), \(width), ' ') END"
            }
            flush()
            pieces.append(text)
        }
        flush()
        guard next == args.count else {
            throw SQLError(.semantic, construct: "FORMAT", message: "FORMAT has more arguments than its format uses", location: at)
        }
        if pieces.isEmpty { return Typed("''", .string) }
        let body = pieces.count == 1 ? pieces[0] : "(" + pieces.joined(separator: " || ") + ")"
        return Typed("CASE WHEN \(args[0].sql) IS NULL THEN NULL ELSE \(body) END", .string)
    }
}
