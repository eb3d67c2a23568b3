/// JSON text for config trees, written straight into a byte buffer.
///
/// Foundation's `JSONEncoder` manages about 20 MB/s on Linux, which made `manifest.json` (71 MB
/// for 10,000 models) the slowest step of a parse. Writing the tree we own directly is a few
/// lines and an order of magnitude faster; parsing JSON still goes through Foundation.
/// Output: RFC 8259 JSON, keys in the tree's order, non-ASCII kept as UTF-8, control characters
/// escaped, non-finite doubles as `null`.
extension ConfigValue {
    /// The value as JSON bytes.
    public var jsonBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        writeJSON(into: &out)
        return out
    }

    /// Appends the value's JSON to `out`.
    public func writeJSON(into out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])  // null
        case .bool(let b): out.append(contentsOf: Array((b ? "true" : "false").utf8))
        case .int(let i): out.append(contentsOf: Array(String(i).utf8))
        case .double(let d):
            if d.isFinite {
                if d == d.rounded(), abs(d) < 1e15 { out.append(contentsOf: Array(String(Int64(d)).utf8)); out.append(contentsOf: [0x2E, 0x30]) }
                else { out.append(contentsOf: Array(String(d).utf8)) }
            } else {
                out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
            }
        case .string(let s): Self.writeJSONString(s, into: &out)
        case .array(let items):
            out.append(0x5B)
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(0x2C) }
                item.writeJSON(into: &out)
            }
            out.append(0x5D)
        case .dict(let object):
            out.append(0x7B)
            var first = true
            for (key, value) in object {
                if !first { out.append(0x2C) }
                first = false
                Self.writeJSONString(key, into: &out)
                out.append(0x3A)
                value.writeJSON(into: &out)
            }
            out.append(0x7D)
        }
    }

    /// Appends a JSON string literal for `s`.
    public static func writeJSONString(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        for byte in s.utf8 {
            switch byte {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case 0x00..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }
}
