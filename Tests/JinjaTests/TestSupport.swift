import Foundation
@testable import Jinja

/// A small order-preserving JSON reader (Python's `json.loads` keeps key order; so must we).
struct JSONReader {
    let s: [UInt8]
    var i = 0
    init(_ text: String) { s = Array(text.utf8) }

    struct Failure: Error { let message: String }

    mutating func ws() { while i < s.count, [32, 9, 10, 13].contains(s[i]) { i += 1 } }

    mutating func parse() throws -> Value {
        ws()
        guard i < s.count else { throw Failure(message: "eof") }
        switch s[i] {
        case UInt8(ascii: "{"):
            i += 1
            var pairs: [(String, Value)] = []
            ws()
            if s[i] == UInt8(ascii: "}") { i += 1; return .makeDict(pairs) }
            while true {
                ws()
                guard case .string(let k) = try parse() else { throw Failure(message: "key") }
                ws(); i += 1  // :
                pairs.append((k, try parse()))
                ws()
                if s[i] == UInt8(ascii: ",") { i += 1; continue }
                i += 1
                return .makeDict(pairs)
            }
        case UInt8(ascii: "["):
            i += 1
            var items: [Value] = []
            ws()
            if s[i] == UInt8(ascii: "]") { i += 1; return .makeList(items) }
            while true {
                items.append(try parse())
                ws()
                if s[i] == UInt8(ascii: ",") { i += 1; continue }
                i += 1
                return .makeList(items)
            }
        case UInt8(ascii: "\""):
            i += 1
            var out = [UInt8]()
            while s[i] != UInt8(ascii: "\"") {
                if s[i] == UInt8(ascii: "\\") {
                    i += 1
                    switch s[i] {
                    case UInt8(ascii: "n"): out.append(10)
                    case UInt8(ascii: "t"): out.append(9)
                    case UInt8(ascii: "r"): out.append(13)
                    case UInt8(ascii: "b"): out.append(8)
                    case UInt8(ascii: "f"): out.append(12)
                    case UInt8(ascii: "u"):
                        let hex = String(decoding: s[(i + 1)...(i + 4)], as: UTF8.self)
                        var code = UInt32(hex, radix: 16) ?? 63
                        i += 4
                        if code >= 0xD800 && code < 0xDC00, s[i + 1] == UInt8(ascii: "\\") {
                            let low = UInt32(String(decoding: s[(i + 3)...(i + 6)], as: UTF8.self), radix: 16) ?? 0
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                            i += 6
                        }
                        out.append(contentsOf: Array(String(Unicode.Scalar(code) ?? "?").utf8))
                    default: out.append(s[i])
                    }
                    i += 1
                } else { out.append(s[i]); i += 1 }
            }
            i += 1
            return .string(String(decoding: out, as: UTF8.self))
        case UInt8(ascii: "t"): i += 4; return .bool(true)
        case UInt8(ascii: "f"): i += 5; return .bool(false)
        case UInt8(ascii: "n"): i += 4; return .none
        default:
            let start = i
            while i < s.count, "+-0123456789.eE".utf8.contains(s[i]) { i += 1 }
            let text = String(decoding: s[start..<i], as: UTF8.self)
            if text.contains(".") || text.contains("e") || text.contains("E") { return .float(Double(text) ?? 0) }
            return .int(Int(text) ?? 0)
        }
    }
}

enum Fixtures {
    static var inputs: URL {
        Bundle.module.url(forResource: "Inputs", withExtension: nil)!
    }

    /// An environment configured like the oracle's.
    static func environment(lenient: Bool) -> Environment {
        let env = Environment()
        env.undefinedBehavior = lenient ? .lenient : .strict
        let dir = inputs.appendingPathComponent("_templates")
        env.loader = { name in
            try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
        }
        return env
    }
}
