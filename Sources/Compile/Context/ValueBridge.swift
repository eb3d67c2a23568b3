import Jinja
import Project
import Warehouse

// Conversions between the project's JSON-like values, warehouse cells and Jinja values.

extension Value {
    /// A Jinja value for a config/YAML value: dicts keep their key order.
    init(_ config: ConfigValue) {
        switch config {
        case .null: self = .none
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .float(d)
        case .string(let s): self = .string(s)
        case .array(let items): self = .makeList(items.map(Value.init))
        case .dict(let object): self = .makeDict(object.entries.map { ($0.key, Value($0.value)) })
        }
    }

    /// A Jinja value for a warehouse cell.
    init(_ cell: Cell) {
        switch cell {
        case .null: self = .none
        case .integer(let i): self = .int(Int(i))
        case .real(let d): self = .float(d)
        case .text(let s): self = .string(s)
        case .blob(let bytes): self = .string(String(decoding: bytes, as: UTF8.self))
        case .bool(let b): self = .bool(b)
        }
    }

    /// The config value this Jinja value stands for (callables and host objects become strings).
    var configValue: ConfigValue {
        switch self {
        case .none, .undefined: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let d): return .double(d)
        case .string(let s): return .string(s)
        case .list, .tuple: return .array((asList ?? []).map(\.configValue))
        case .dict:
            var object = ConfigObject()
            for (key, value) in asDictPairs ?? [] {
                object[key.asString ?? key.pythonStr()] = value.configValue
            }
            return .dict(object)
        default: return .string(pythonStr())
        }
    }
}
