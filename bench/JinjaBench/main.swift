// Times parse + render of every bench model template with the Swift engine.
// Usage: JinjaBench DIR   (DIR from `python3 bench/jinja_bench.py generate DIR N`)
import Foundation
import Jinja

/// dbt's `config`: records keyword arguments, `config.get(key, default)` reads them back.
final class Config: JinjaObject, @unchecked Sendable {
    var values: [(String, Value)] = []
    func attribute(_ name: String) -> Value? {
        guard name == "get" else { return nil }
        return .function(NativeFunction("get") { args, _ in
            let key = args.positional.first?.asString ?? ""
            return self.values.last(where: { $0.0 == key })?.1 ?? args.value(1, "default") ?? .none
        })
    }
    func call(_ args: Arguments, _ state: State) throws -> Value {
        values.append(contentsOf: args.keyword)
        return ""
    }
}

func fnv1a(_ s: String, _ h: inout UInt64) {
    for b in s.utf8 {
        h ^= UInt64(b)
        h = h &* 0x100000001B3
    }
}

let args = CommandLine.arguments
guard args.count > 1 else {
    FileHandle.standardError.write("usage: JinjaBench DIR\n".data(using: .utf8)!)
    exit(2)
}
let dir = URL(fileURLWithPath: args[1])
let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("model_") }.sorted()
let sources = try names.map { ($0, try String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8)) }
let env = Environment()
let macros = try env.module(try env.parse(try String(contentsOf: dir.appendingPathComponent("macros.sql"), encoding: .utf8), name: "macros.sql"))
for (name, value) in macros.macros { env.addGlobal(name, value) }
env.addFunction("ref") { a, _ in .string("\"main\".\"\(a.positional.first?.asString ?? "")\"") }
env.addFunction("var") { a, _ in a.value(1, "default") ?? .none }
let target: Value = ["name": "dev", "schema": "analytics"]

var h: UInt64 = 0xCBF2_9CE4_8422_2325
let clock = ContinuousClock()
var outputs: [String] = []
outputs.reserveCapacity(sources.count)
let elapsed = try clock.measure {
    for (name, src) in sources {
        let ctx: [String: Value] = ["config": .object(Config()), "target": target,
                                    "this": .string("\"main\".\"\(name.dropLast(4))\""), "is_incremental": true]
        outputs.append(try env.render(src, name: name, context: ctx))
    }
}
for o in outputs { fnv1a(o, &h) }
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let hex = String(h, radix: 16)
print("{\"engine\": \"opsflow\", \"templates\": \(sources.count), \"seconds\": \(seconds), \"us_per_template\": \(seconds / Double(sources.count) * 1e6), \"checksum\": \"\(String(repeating: "0", count: 16 - hex.count) + hex)\"}")
