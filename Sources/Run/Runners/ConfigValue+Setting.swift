import Project
import Warehouse

// Node configs cross to the warehouse drivers as `ConfigSetting`, which keeps the drivers free of
// the Project module.
extension ConfigValue {
    var setting: ConfigSetting {
        switch self {
        case .null: return .null
        case .bool(let value): return .bool(value)
        case .int(let value): return .int(value)
        case .double(let value): return .double(value)
        case .string(let value): return .string(value)
        case .array(let values): return .list(values.map(\.setting))
        case .dict(let object): return .dict(object.settings)
        }
    }
}

extension ConfigObject {
    var settings: [String: ConfigSetting] {
        var result: [String: ConfigSetting] = [:]
        for (key, value) in entries { result[key] = value.setting }
        return result
    }
}
