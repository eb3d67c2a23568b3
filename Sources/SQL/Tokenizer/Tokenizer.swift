/// Splits GoogleSQL text into ``Token``s with their locations.
///
/// Rules (<https://cloud.google.com/bigquery/docs/reference/standard-sql/lexical>): comments are
/// `-- …`, `# …` and `/* … */`; strings are quoted with `'`, `"`, `'''` or `"""`, optionally
/// prefixed `r`/`R` (raw: no escapes) or `b`/`B` (bytes); identifiers may be quoted with
/// backticks. Escapes: `\n \t \r \b \f \v \a \\ \' \" \` \? \xHH \uHHHH \UHHHHHHHH \ooo`.
///
/// Works on UTF-8 bytes; a malformed literal throws ``SQLError`` (`syntax`) at its start.
public struct Tokenizer: Sendable {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0

    public init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// All tokens of `text`, the last one of kind ``Token/Kind/end``.
    public static func tokenize(_ text: String) throws -> [Token] {
        var tokenizer = Tokenizer(text)
        return try tokenizer.all()
    }

    private var location: SourceLocation {
        // Column in characters: count the UTF-8 lead bytes since the line start.
        var column = 1
        var i = lineStart
        while i < index {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return SourceLocation(line: line, column: column, offset: index)
    }

    private func peek(_ ahead: Int = 0) -> UInt8 {
        let i = index + ahead
        return i < bytes.count ? bytes[i] : 0
    }

    private mutating func advance() {
        if index < bytes.count {
            if bytes[index] == UInt8(ascii: "\n") {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
    }

    mutating func all() throws -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(bytes.count / 4)
        while true {
            let spaced = skipSpaceAndComments()
            if index >= bytes.count {
                tokens.append(Token(kind: .end, text: "", location: location, precededBySpace: spaced))
                return tokens
            }
            var token = try next()
            token.precededBySpace = spaced
            tokens.append(token)
        }
    }

    /// Skips white space and comments; returns whether anything was skipped.
    private mutating func skipSpaceAndComments() -> Bool {
        var skipped = false
        while index < bytes.count {
            let c = bytes[index]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C {
                advance()
            } else if c == UInt8(ascii: "#") || (c == UInt8(ascii: "-") && peek(1) == UInt8(ascii: "-")) {
                while index < bytes.count && bytes[index] != 0x0A { advance() }
            } else if c == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*") {
                advance(); advance()
                while index < bytes.count && !(bytes[index] == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/")) { advance() }
                advance(); advance()
            } else {
                return skipped
            }
            skipped = true
        }
        return skipped
    }

    private static func isIdentifierStart(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c >= 0x80
    }

    private static func isIdentifierPart(_ c: UInt8) -> Bool {
        isIdentifierStart(c) || (c >= 0x30 && c <= 0x39)
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    private mutating func next() throws -> Token {
        let start = location
        let c = bytes[index]
        // String and bytes literals with an r/b prefix.
        if c == UInt8(ascii: "r") || c == UInt8(ascii: "R") || c == UInt8(ascii: "b") || c == UInt8(ascii: "B") {
            var prefix = 1
            var raw = c == UInt8(ascii: "r") || c == UInt8(ascii: "R")
            var isBytes = !raw
            let second = peek(1)
            if (raw && (second == UInt8(ascii: "b") || second == UInt8(ascii: "B")))
                || (isBytes && (second == UInt8(ascii: "r") || second == UInt8(ascii: "R"))) {
                prefix = 2
                raw = true
                isBytes = true
            }
            let quote = peek(prefix)
            if quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") {
                for _ in 0..<prefix { advance() }
                let text = try string(raw: raw, start: start)
                return Token(kind: isBytes ? .bytes : .string, text: text, location: start, precededBySpace: false)
            }
        }
        if Self.isIdentifierStart(c) {
            let from = index
            while index < bytes.count && Self.isIdentifierPart(bytes[index]) { advance() }
            return Token(kind: .word, text: String(decoding: bytes[from..<index], as: UTF8.self), location: start, precededBySpace: false)
        }
        if Self.isDigit(c) || (c == UInt8(ascii: ".") && Self.isDigit(peek(1))) {
            return try number(start: start)
        }
        switch c {
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            let text = try string(raw: false, start: start)
            return Token(kind: .string, text: text, location: start, precededBySpace: false)
        case UInt8(ascii: "`"):
            advance()
            var out: [UInt8] = []
            while true {
                guard index < bytes.count else {
                    throw SQLError(.syntax, construct: "quoted identifier", message: "unterminated quoted identifier", location: start)
                }
                let b = bytes[index]
                if b == UInt8(ascii: "`") { advance(); break }
                if b == UInt8(ascii: "\\") {
                    advance()
                    try escape(into: &out, start: start)
                    continue
                }
                out.append(b)
                advance()
            }
            if out.isEmpty {
                throw SQLError(.syntax, construct: "quoted identifier", message: "empty quoted identifier", location: start)
            }
            return Token(kind: .quotedIdentifier, text: String(decoding: out, as: UTF8.self), location: start, precededBySpace: false)
        case UInt8(ascii: "@"):
            advance()
            if peek() == UInt8(ascii: "@") { advance() }
            let from = index
            while index < bytes.count && Self.isIdentifierPart(bytes[index]) { advance() }
            return Token(kind: .parameter, text: String(decoding: bytes[from..<index], as: UTF8.self), location: start, precededBySpace: false)
        case UInt8(ascii: "?"):
            advance()
            return Token(kind: .parameter, text: "?", location: start, precededBySpace: false)
        default:
            break
        }
        let two: [String] = ["||", "!=", "<>", "<=", ">=", "<<", ">>", "=>"]
        if index + 1 < bytes.count {
            let pair = String(decoding: bytes[index...(index + 1)], as: UTF8.self)
            if two.contains(pair) {
                advance(); advance()
                return Token(kind: .symbol, text: pair, location: start, precededBySpace: false)
            }
        }
        let singles = Set("(),.;[]+-*/=<>&|^~{}:".utf8)
        if singles.contains(c) {
            advance()
            return Token(kind: .symbol, text: String(UnicodeScalar(c)), location: start, precededBySpace: false)
        }
        throw SQLError(.syntax, construct: "character", message: "unexpected character '\(String(UnicodeScalar(c)))'", location: start)
    }

    private mutating func number(start: SourceLocation) throws -> Token {
        let from = index
        if peek() == UInt8(ascii: "0") && (peek(1) == UInt8(ascii: "x") || peek(1) == UInt8(ascii: "X")) {
            advance(); advance()
            while index < bytes.count, let _ = hexValue(bytes[index]) { advance() }
            return Token(kind: .integer, text: String(decoding: bytes[from..<index], as: UTF8.self), location: start, precededBySpace: false)
        }
        var isFloat = false
        while Self.isDigit(peek()) { advance() }
        if peek() == UInt8(ascii: ".") {
            isFloat = true
            advance()
            while Self.isDigit(peek()) { advance() }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            let sign = peek(1) == UInt8(ascii: "+") || peek(1) == UInt8(ascii: "-")
            if Self.isDigit(peek(sign ? 2 : 1)) {
                isFloat = true
                advance()
                if sign { advance() }
                while Self.isDigit(peek()) { advance() }
            }
        }
        if Self.isIdentifierStart(peek()) {
            throw SQLError(.syntax, construct: "number", message: "a number runs into a word", location: start)
        }
        return Token(kind: isFloat ? .float : .integer, text: String(decoding: bytes[from..<index], as: UTF8.self), location: start, precededBySpace: false)
    }

    private func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x30...0x39: return UInt32(c - 0x30)
        case 0x41...0x46: return UInt32(c - 0x41 + 10)
        case 0x61...0x66: return UInt32(c - 0x61 + 10)
        default: return nil
        }
    }

    /// Reads a quoted string starting at the quote; returns its decoded text.
    private mutating func string(raw: Bool, start: SourceLocation) throws -> String {
        let quote = bytes[index]
        let triple = peek(1) == quote && peek(2) == quote
        advance()
        if triple { advance(); advance() }
        var out: [UInt8] = []
        while true {
            guard index < bytes.count else {
                throw SQLError(.syntax, construct: "string literal", message: "unterminated string literal", location: start)
            }
            let b = bytes[index]
            if b == quote {
                if !triple { advance(); break }
                if peek(1) == quote && peek(2) == quote { advance(); advance(); advance(); break }
            }
            if b == 0x0A && !triple {
                throw SQLError(.syntax, construct: "string literal", message: "a quoted string cannot span lines (use triple quotes)", location: start)
            }
            if b == UInt8(ascii: "\\") {
                if raw {
                    out.append(b)
                    advance()
                    if index < bytes.count { out.append(bytes[index]); advance() }
                    continue
                }
                advance()
                try escape(into: &out, start: start)
                continue
            }
            out.append(b)
            advance()
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes one escape sequence (the backslash already consumed).
    private mutating func escape(into out: inout [UInt8], start: SourceLocation) throws {
        guard index < bytes.count else {
            throw SQLError(.syntax, construct: "escape sequence", message: "unterminated escape sequence", location: start)
        }
        let c = bytes[index]
        advance()
        func appendScalar(_ value: UInt32) throws {
            guard let scalar = Unicode.Scalar(value) else {
                throw SQLError(.syntax, construct: "escape sequence", message: "invalid code point in escape", location: start)
            }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
        func hexDigits(_ count: Int) throws -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<count {
                guard index < bytes.count, let digit = hexValue(bytes[index]) else {
                    throw SQLError(.syntax, construct: "escape sequence", message: "bad hexadecimal escape", location: start)
                }
                value = value &* 16 &+ digit
                advance()
            }
            return value
        }
        switch c {
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "v"): out.append(0x0B)
        case UInt8(ascii: "a"): out.append(0x07)
        case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"), UInt8(ascii: "?"): out.append(c)
        case UInt8(ascii: "x"), UInt8(ascii: "X"): out.append(UInt8(truncatingIfNeeded: try hexDigits(2)))
        case UInt8(ascii: "u"): try appendScalar(try hexDigits(4))
        case UInt8(ascii: "U"): try appendScalar(try hexDigits(8))
        case 0x30...0x37:
            var value = UInt32(c - 0x30)
            for _ in 0..<2 {
                guard index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x37 else {
                    throw SQLError(.syntax, construct: "escape sequence", message: "bad octal escape", location: start)
                }
                value = value * 8 + UInt32(bytes[index] - 0x30)
                advance()
            }
            out.append(UInt8(truncatingIfNeeded: value))
        default:
            throw SQLError(.syntax, construct: "escape sequence", message: "illegal escape sequence \\\(String(UnicodeScalar(c)))", location: start)
        }
    }
}
