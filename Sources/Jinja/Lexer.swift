/// Turns a template source into tokens, following Jinja2's lexer with dbt's settings
/// (default delimiters, `trim_blocks`/`lstrip_blocks` off, `keep_trailing_newline` off).
///
/// Newlines are normalized to `\n` and one trailing newline is dropped before lexing, as
/// Jinja2's `Lexer.tokeniter` does.
struct Lexer {
    let src: [UInt8]
    let templateName: String
    var pos = 0
    var tokens: [SpannedToken] = []
    // Line tracking: offsets only grow, so one cursor suffices.
    private var cursorOffset = 0
    private var cursorLine = 1
    private var cursorLineStart = 0

    init(normalized: [UInt8], templateName: String) {
        self.src = normalized
        self.templateName = templateName
    }

    /// Normalizes newlines (`\r\n`, `\r` → `\n`) and removes one trailing newline.
    static func normalize(_ source: String) -> [UInt8] {
        if !source.utf8.contains(13) {
            var out = Array(source.utf8)
            if out.last == 10 { out.removeLast() }
            return out
        }
        var out = [UInt8]()
        out.reserveCapacity(source.utf8.count)
        var it = source.utf8.makeIterator()
        var pendingCR = false
        while let b = it.next() {
            if pendingCR {
                pendingCR = false
                if b == 10 { continue }
            }
            if b == 13 { out.append(10); pendingCR = true } else { out.append(b) }
        }
        if out.last == 10 { out.removeLast() }
        return out
    }

    mutating func span(at offset: Int) -> SourceSpan {
        if offset < cursorOffset {  // should not happen; recount from the start
            cursorOffset = 0; cursorLine = 1; cursorLineStart = 0
        }
        var i = cursorOffset
        while i < offset && i < src.count {
            if src[i] == 10 { cursorLine += 1; cursorLineStart = i + 1 }
            i += 1
        }
        cursorOffset = offset
        return SourceSpan(line: cursorLine, column: offset - cursorLineStart + 1, offset: offset)
    }

    func fail(_ message: String, _ span: SourceSpan) -> JinjaError {
        JinjaError(.syntax, message, templateName: templateName, line: span.line, column: span.column)
    }

    mutating func emit(_ t: Token, _ start: Int, _ end: Int) {
        tokens.append(SpannedToken(token: t, span: span(at: start), end: end))
    }

    @inline(__always) func at(_ i: Int) -> UInt8 { i < src.count ? src[i] : 0 }

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool {
        b == 32 || b == 10 || b == 9 || b == 13 || b == 11 || b == 12
    }

    func text(_ a: Int, _ b: Int) -> String {
        String(decoding: src[a..<b], as: UTF8.self)
    }

    func skipSpaces(_ i: Int) -> Int {
        var j = i
        while j < src.count && Lexer.isSpace(src[j]) { j += 1 }
        return j
    }

    /// If a `{% raw %}` opener starts at `i`, returns the offset after it and whether it strips after.
    func matchRawBegin(_ i: Int) -> (end: Int, stripBefore: Bool)? {
        var j = i + 2
        var strip = false
        if at(j) == UInt8(ascii: "-") { strip = true; j += 1 } else if at(j) == UInt8(ascii: "+") { j += 1 }
        j = skipSpaces(j)
        guard at(j) == UInt8(ascii: "r"), at(j + 1) == UInt8(ascii: "a"), at(j + 2) == UInt8(ascii: "w") else { return nil }
        j += 3
        let k = skipSpaces(j)
        if at(k) == UInt8(ascii: "-"), at(k + 1) == UInt8(ascii: "%"), at(k + 2) == UInt8(ascii: "}") {
            return (skipSpaces(k + 3), strip)
        }
        if at(k) == UInt8(ascii: "+"), at(k + 1) == UInt8(ascii: "%"), at(k + 2) == UInt8(ascii: "}") {
            return (k + 3, strip)
        }
        if at(k) == UInt8(ascii: "%"), at(k + 1) == UInt8(ascii: "}") { return (k + 2, strip) }
        return nil
    }

    /// Finds `{% endraw %}` from `i`: (start of tag, end after it, strip data before).
    func findRawEnd(_ from: Int) -> (start: Int, end: Int, strip: Bool)? {
        var i = from
        while i + 1 < src.count {
            if src[i] == UInt8(ascii: "{") && src[i + 1] == UInt8(ascii: "%") {
                var j = i + 2
                var strip = false
                if at(j) == UInt8(ascii: "-") { strip = true; j += 1 } else if at(j) == UInt8(ascii: "+") { j += 1 }
                j = skipSpaces(j)
                if at(j) == UInt8(ascii: "e"), src.count >= j + 6, text(j, j + 6) == "endraw" {
                    let k = skipSpaces(j + 6)
                    if at(k) == UInt8(ascii: "-"), at(k + 1) == UInt8(ascii: "%"), at(k + 2) == UInt8(ascii: "}") {
                        return (i, skipSpaces(k + 3), strip)
                    }
                    if at(k) == UInt8(ascii: "+"), at(k + 1) == UInt8(ascii: "%"), at(k + 2) == UInt8(ascii: "}") {
                        return (i, k + 3, strip)
                    }
                    if at(k) == UInt8(ascii: "%"), at(k + 1) == UInt8(ascii: "}") { return (i, k + 2, strip) }
                }
            }
            i += 1
        }
        return nil
    }

    mutating func emitData(_ a: Int, _ b: Int, rstrip: Bool) {
        var e = b
        if rstrip { while e > a && Lexer.isSpace(src[e - 1]) { e -= 1 } }
        if e > a { emit(.data(text(a, e)), a, e) }
    }

    mutating func tokenize() throws -> [SpannedToken] {
        let n = src.count
        var dataStart = 0
        var i = 0
        while i < n {
            // Find the next opener.
            guard src[i] == UInt8(ascii: "{"), i + 1 < n else { i += 1; continue }
            let c = src[i + 1]
            if c != UInt8(ascii: "{") && c != UInt8(ascii: "%") && c != UInt8(ascii: "#") { i += 1; continue }
            let strip = at(i + 2) == UInt8(ascii: "-")
            if c == UInt8(ascii: "%"), let raw = matchRawBegin(i) {
                emitData(dataStart, i, rstrip: raw.stripBefore)
                guard let end = findRawEnd(raw.end) else {
                    throw fail("Missing end of raw directive", span(at: i))
                }
                emitData(raw.end, end.start, rstrip: end.strip)
                i = end.end
                dataStart = i
                continue
            }
            emitData(dataStart, i, rstrip: strip)
            var j = i + 2
            if strip || at(j) == UInt8(ascii: "+") { j += 1 }
            if c == UInt8(ascii: "#") {
                // Comment: up to the first `#}` (optionally preceded by `-` or `+`).
                var k = j
                var found = false
                while k + 1 < n {
                    if src[k] == UInt8(ascii: "-") && src[k + 1] == UInt8(ascii: "#") && at(k + 2) == UInt8(ascii: "}") {
                        k = skipSpaces(k + 3); found = true; break
                    }
                    if src[k] == UInt8(ascii: "#") && src[k + 1] == UInt8(ascii: "}") { k += 2; found = true; break }
                    k += 1
                }
                if !found { throw fail("Missing end of comment tag", span(at: i)) }
                i = k
                dataStart = i
                continue
            }
            let isBlock = c == UInt8(ascii: "%")
            emit(isBlock ? .blockBegin : .variableBegin, i, j)
            i = try lexTag(from: j, block: isBlock, openAt: i)
            dataStart = i
        }
        emitData(dataStart, n, rstrip: false)
        emit(.eof, n, n)
        return tokens
    }

    /// Lexes the inside of a tag; returns the offset after its closing delimiter.
    mutating func lexTag(from start: Int, block: Bool, openAt: Int) throws -> Int {
        let n = src.count
        var i = start
        var depth = 0  // bracket balance: `}}` inside `{...}` is not an end
        let endChar = block ? UInt8(ascii: "%") : UInt8(ascii: "}")
        while true {
            i = skipSpaces(i)
            if i >= n {
                throw fail("unexpected end of template, expected '\(block ? "%}" : "}}")'", span(at: openAt))
            }
            let b = src[i]
            if depth == 0 {
                if b == UInt8(ascii: "-") && at(i + 1) == endChar && at(i + 2) == UInt8(ascii: "}") {
                    emit(block ? .blockEnd : .variableEnd, i, i + 3)
                    return skipSpaces(i + 3)
                }
                if block && b == UInt8(ascii: "+") && at(i + 1) == endChar && at(i + 2) == UInt8(ascii: "}") {
                    emit(.blockEnd, i, i + 3)
                    return i + 3
                }
                if b == endChar && at(i + 1) == UInt8(ascii: "}") {
                    emit(block ? .blockEnd : .variableEnd, i, i + 2)
                    return i + 2
                }
            }
            // Numbers.
            if b >= 48 && b <= 57 {
                i = try lexNumber(i)
                continue
            }
            // Names (ASCII letters, `_`, and any non-ASCII scalar for Unicode identifiers).
            if (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 || b >= 0x80 {
                var j = i + 1
                while j < n {
                    let d = src[j]
                    if (d >= 65 && d <= 90) || (d >= 97 && d <= 122) || d == 95 || (d >= 48 && d <= 57) || d >= 0x80 {
                        j += 1
                    } else { break }
                }
                emit(.name(text(i, j)), i, j)
                i = j
                continue
            }
            if b == UInt8(ascii: "'") || b == UInt8(ascii: "\"") {
                i = try lexString(i)
                continue
            }
            // Operators, longest first.
            let b1 = at(i + 1)
            var op: Op?
            var len = 1
            switch b {
            case UInt8(ascii: "/"): if b1 == UInt8(ascii: "/") { op = .floordiv; len = 2 } else { op = .div }
            case UInt8(ascii: "*"): if b1 == UInt8(ascii: "*") { op = .pow; len = 2 } else { op = .mul }
            case UInt8(ascii: "="): if b1 == UInt8(ascii: "=") { op = .eq; len = 2 } else { op = .assign }
            case UInt8(ascii: "!"): if b1 == UInt8(ascii: "=") { op = .ne; len = 2 }
            case UInt8(ascii: "<"): if b1 == UInt8(ascii: "=") { op = .lteq; len = 2 } else { op = .lt }
            case UInt8(ascii: ">"): if b1 == UInt8(ascii: "=") { op = .gteq; len = 2 } else { op = .gt }
            case UInt8(ascii: "+"): op = .add
            case UInt8(ascii: "-"): op = .sub
            case UInt8(ascii: "%"): op = .mod
            case UInt8(ascii: "~"): op = .tilde
            case UInt8(ascii: "["): op = .lbracket; depth += 1
            case UInt8(ascii: "]"): op = .rbracket; depth -= 1
            case UInt8(ascii: "("): op = .lparen; depth += 1
            case UInt8(ascii: ")"): op = .rparen; depth -= 1
            case UInt8(ascii: "{"): op = .lbrace; depth += 1
            case UInt8(ascii: "}"): op = .rbrace; depth -= 1
            case UInt8(ascii: "."): op = .dot
            case UInt8(ascii: ":"): op = .colon
            case UInt8(ascii: "|"): op = .pipe
            case UInt8(ascii: ","): op = .comma
            case UInt8(ascii: ";"): op = .semicolon
            default: break
            }
            guard let o = op else {
                let sp = span(at: i)
                throw fail("unexpected char \(Value.string(String(decoding: src[i..<min(i + 1, n)], as: UTF8.self)).pythonRepr()) at \(i)", sp)
            }
            if depth < 0 { depth = 0 }
            emit(.op(o), i, i + len)
            i += len
        }
    }

    mutating func lexNumber(_ start: Int) throws -> Int {
        let n = src.count
        var i = start
        func digits(_ from: Int) -> Int {
            var j = from
            while j < n {
                if src[j] >= 48 && src[j] <= 57 { j += 1 }
                else if src[j] == 95 && j + 1 < n && src[j + 1] >= 48 && src[j + 1] <= 57 && j > from { j += 1 }
                else { break }
            }
            return j
        }
        // 0x / 0o / 0b prefixes.
        if src[i] == 48, i + 1 < n, [UInt8(ascii: "x"), UInt8(ascii: "o"), UInt8(ascii: "b"),
                                      UInt8(ascii: "X"), UInt8(ascii: "O"), UInt8(ascii: "B")].contains(src[i + 1]) {
            let radix: Int = switch src[i + 1] | 0x20 { case UInt8(ascii: "x"): 16; case UInt8(ascii: "o"): 8; default: 2 }
            var j = i + 2
            while j < n, (src[j] == 95) || (Character(Unicode.Scalar(src[j])).hexDigitValue.map { $0 < radix } ?? false) { j += 1 }
            let digitsText = text(i + 2, j).replacingUnderscores()
            guard let v = Int(digitsText, radix: radix) else { throw fail("invalid integer literal", span(at: start)) }
            emit(.integer(v), start, j)
            return j
        }
        i = digits(i)
        var isFloat = false
        if at(i) == UInt8(ascii: "."), at(i + 1) >= 48, at(i + 1) <= 57 {
            isFloat = true
            i = digits(i + 1)
        }
        if at(i) == UInt8(ascii: "e") || at(i) == UInt8(ascii: "E") {
            var j = i + 1
            if at(j) == UInt8(ascii: "+") || at(j) == UInt8(ascii: "-") { j += 1 }
            if at(j) >= 48 && at(j) <= 57 {
                isFloat = true
                i = digits(j)
            }
        }
        let t = text(start, i).replacingUnderscores()
        if isFloat {
            guard let d = Double(t) else { throw fail("invalid float literal", span(at: start)) }
            emit(.float(d), start, i)
        } else {
            guard let v = Int(t) else {
                throw JinjaError(.overflow, "integer literal \(t) is too large", templateName: templateName,
                                 line: span(at: start).line, column: span(at: start).column)
            }
            emit(.integer(v), start, i)
        }
        return i
    }

    mutating func lexString(_ start: Int) throws -> Int {
        let n = src.count
        let q = src[start]
        var i = start + 1
        var hasEscape = false
        while i < n && src[i] != q {
            if src[i] == UInt8(ascii: "\\") { hasEscape = true; i += 2 } else { i += 1 }
        }
        if i >= n { throw fail("unexpected end of string", span(at: start)) }
        let raw = text(start + 1, i)
        emit(.string(hasEscape ? Lexer.unescape(raw) : raw), start, i + 1)
        return i + 1
    }

    /// Python's `unicode-escape` decoding as Jinja2 applies it to string literals.
    static func unescape(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        let scalars = Array(s.unicodeScalars)
        var i = 0
        func hex(_ from: Int, _ count: Int) -> UInt32? {
            guard from + count <= scalars.count else { return nil }
            var v: UInt32 = 0
            for k in from..<(from + count) {
                guard let d = Character(scalars[k]).hexDigitValue else { return nil }
                v = v * 16 + UInt32(d)
            }
            return v
        }
        while i < scalars.count {
            let c = scalars[i]
            if c != "\\" || i + 1 >= scalars.count { out.append(c); i += 1; continue }
            let e = scalars[i + 1]
            switch e {
            case "n": out.append("\n"); i += 2
            case "t": out.append("\t"); i += 2
            case "r": out.append("\r"); i += 2
            case "\\": out.append("\\"); i += 2
            case "'": out.append("'"); i += 2
            case "\"": out.append("\""); i += 2
            case "a": out.append("\u{07}"); i += 2
            case "b": out.append("\u{08}"); i += 2
            case "f": out.append("\u{0C}"); i += 2
            case "v": out.append("\u{0B}"); i += 2
            case "\n": i += 2
            case "x", "u", "U":
                let len = e == "x" ? 2 : (e == "u" ? 4 : 8)
                if let v = hex(i + 2, len), let sc = Unicode.Scalar(v) { out.append(sc); i += 2 + len }
                else { out.append(c); i += 1 }
            case "0"..."7":
                var v: UInt32 = 0
                var k = i + 1
                while k < scalars.count && k < i + 4, ("0"..."7").contains(scalars[k]) {
                    v = v * 8 + (scalars[k].value - 48); k += 1
                }
                if let sc = Unicode.Scalar(v) { out.append(sc) }
                i = k
            default:
                out.append(c); i += 1
            }
        }
        return String(out)
    }
}

extension String {
    func replacingUnderscores() -> String {
        contains("_") ? String(filter { $0 != "_" }) : self
    }
}
