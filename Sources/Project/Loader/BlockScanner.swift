/// Finds dbt's top-level Jinja blocks in a file without a Jinja engine: `{% macro %}`,
/// `{% test %}`, `{% docs %}`, `{% snapshot %}`, `{% materialization %}`.
///
/// This is what dbt's own block lexer (`dbt_common.clients._jinja_blocks`) does before parsing:
/// it only needs each block's kind, name, argument names and text. Comments (`{# #}`) and
/// `{% raw %}` sections are skipped. Blocks do not nest.
public struct JinjaBlock: Sendable, Hashable {
    /// `macro`, `test`, `docs`, `snapshot`, `materialization`.
    public var kind: String
    /// The block's name (`cents_to_dollars`; for `test` blocks the name without `test_`).
    public var name: String
    /// Parameter names in order (`macro` and `test` only).
    public var arguments: [String]
    /// The full text from `{%` of the opening tag to `%}` of the closing tag.
    public var fullText: String
    /// The text between the opening and the closing tag.
    public var body: String
    /// 1-based line of the opening tag.
    public var line: Int
}

public enum BlockScanner {
    static let kinds: Set<String> = ["macro", "test", "docs", "snapshot", "materialization"]

    /// Scans `text` for top-level blocks.
    /// - Throws: `ProjectError.render` when a block is not closed (dbt: "Reached EOF without
    ///   finding a close tag").
    public static func scan(_ text: String, file: String) throws -> [JinjaBlock] {
        let b = Array(text.utf8)
        var blocks: [JinjaBlock] = []
        var i = 0
        var line = 1
        func advanceLines(_ from: Int, _ to: Int) { var k = from; while k < to { if b[k] == 10 { line += 1 }; k += 1 } }
        while i < b.count - 1 {
            if b[i] == UInt8(ascii: "{") && b[i + 1] == UInt8(ascii: "#") {
                let end = find(b, "#}", from: i + 2) ?? b.count
                advanceLines(i, min(end + 2, b.count)); i = min(end + 2, b.count); continue
            }
            guard b[i] == UInt8(ascii: "{") && b[i + 1] == UInt8(ascii: "%") else {
                if b[i] == 10 { line += 1 }
                i += 1; continue
            }
            guard let tagEnd = find(b, "%}", from: i + 2) else { break }
            let inner = tagContent(b, i + 2, tagEnd)
            let (word, rest) = firstWord(inner)
            if word == "raw" {
                let close = findEndTag(b, "endraw", from: tagEnd + 2)
                let stop = close?.end ?? b.count
                advanceLines(i, stop); i = stop; continue
            }
            guard kinds.contains(word) else {
                advanceLines(i, tagEnd + 2); i = tagEnd + 2; continue
            }
            let startLine = line
            guard let close = findEndTag(b, "end" + word, from: tagEnd + 2) else {
                throw ProjectError(.render, "reached the end of the file without finding `{% end\(word) %}`",
                                   location: SourceLocation(file: file, line: startLine),
                                   hint: "close the `\(word)` block opened here")
            }
            let (name, args) = nameAndArgs(rest, kind: word)
            blocks.append(JinjaBlock(
                kind: word, name: name, arguments: args,
                fullText: String(decoding: b[i..<close.end], as: UTF8.self),
                body: String(decoding: b[(tagEnd + 2)..<close.start], as: UTF8.self), line: startLine))
            advanceLines(i, close.end)
            i = close.end
        }
        return blocks
    }

    private static func find(_ b: [UInt8], _ s: String, from: Int) -> Int? {
        let n = Array(s.utf8)
        var i = from
        while i + n.count <= b.count {
            if b[i] == n[0] && b[i + 1] == n[1] { return i }
            i += 1
        }
        return nil
    }

    /// The tag's inside without `-`/`+` whitespace-control markers.
    private static func tagContent(_ b: [UInt8], _ from: Int, _ to: Int) -> String {
        var s = from, e = to
        if s < e, b[s] == UInt8(ascii: "-") || b[s] == UInt8(ascii: "+") { s += 1 }
        if e > s, b[e - 1] == UInt8(ascii: "-") || b[e - 1] == UInt8(ascii: "+") { e -= 1 }
        return String(decoding: b[s..<e], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func firstWord(_ s: String) -> (String, String) {
        let scalars = s.unicodeScalars
        var idx = scalars.startIndex
        while idx != scalars.endIndex, CharacterSet.alphanumerics.contains(scalars[idx]) || scalars[idx] == "_" {
            idx = scalars.index(after: idx)
        }
        return (String(scalars[scalars.startIndex..<idx]), String(scalars[idx...]).trimmingCharacters(in: .whitespaces))
    }

    /// Finds `{% endX %}` (any whitespace control), returning the tag's start and end offsets.
    private static func findEndTag(_ b: [UInt8], _ word: String, from: Int) -> (start: Int, end: Int)? {
        var i = from
        while let open = find(b, "{%", from: i) {
            guard let close = find(b, "%}", from: open + 2) else { return nil }
            if tagContent(b, open + 2, close) == word { return (open, close + 2) }
            i = close + 2
        }
        return nil
    }

    /// `cents_to_dollars(column_name, scale=2)` → name and `[column_name, scale]`.
    private static func nameAndArgs(_ rest: String, kind: String) -> (String, [String]) {
        let (name, after) = firstWord(rest)
        guard kind == "macro" || kind == "test", after.hasPrefix("("), let close = after.lastIndex(of: ")") else {
            return (name, [])
        }
        let inside = after[after.index(after: after.startIndex)..<close]
        var args: [String] = []
        var depth = 0
        var current = ""
        var quote: Character?
        for ch in inside {
            if let q = quote { current.append(ch); if ch == q { quote = nil }; continue }
            switch ch {
            case "'", "\"": quote = ch; current.append(ch)
            case "(", "[", "{": depth += 1; current.append(ch)
            case ")", "]", "}": depth -= 1; current.append(ch)
            case "," where depth == 0: args.append(current); current = ""
            default: current.append(ch)
            }
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty { args.append(current) }
        let names = args.compactMap { a -> String? in
            let n = a.split(separator: "=", maxSplits: 1).first.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
            return (n?.isEmpty ?? true) ? nil : n
        }
        return (name, names)
    }
}

import Foundation
