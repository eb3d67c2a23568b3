/// Statement execution: output goes into one buffer per render (a fresh one per macro call).
extension State {
    func exec(_ stmts: [Stmt], into out: inout String) throws -> Flow {
        if !stack.hasRoom() { throw StackGuard.exhausted() }
        for s in stmts {
            let flow = try exec(s, into: &out)
            if case .normal = flow { continue }
            return flow
        }
        return .normal
    }

    func exec(_ stmt: Stmt, into out: inout String) throws -> Flow {
        fuel -= 1
        if fuel < 0 {
            do { try burn(0) } catch var err as JinjaError { err.locate(span, templateName); throw err }
        }
        switch stmt {
        case .data(let s):
            out += s
        case .output(let e, let sp):
            span = sp
            do {
                let v = try eval(e)
                switch v {
                case .string(let s): out += s
                case .undefined(let u): if isStrict(u) { throw undefinedError(u) }
                default: v.writeStr(into: &out)
                }
            } catch var err as JinjaError { err.locate(sp, templateName); throw err }
        case .ifs(let branches, let elseBody, let sp):
            span = sp
            for (test, body) in branches {
                let ok: Bool
                do { ok = try truthy(try eval(test)) } catch var err as JinjaError { err.locate(test.span, templateName); throw err }
                if ok { return try exec(body, into: &out) }
            }
            return try exec(elseBody, into: &out)
        case .forLoop(let f):
            span = f.span
            do {
                let items = try iterate(try eval(f.iter))
                try runLoop(f, items: items, depth: 1, into: &out)
            } catch var err as JinjaError { err.locate(f.span, templateName); throw err }
        case .set(let target, let e, let sp):
            span = sp
            do { try assign(target, try eval(e)) } catch var err as JinjaError { err.locate(sp, templateName); throw err }
        case .setBlock(let target, let filter, let body, let sp):
            span = sp
            do {
                var buf = ""
                let saved = scope
                scope = Scope(parent: saved)
                defer { scope = saved }
                _ = try exec(body, into: &buf)
                scope = saved
                var v = Value.string(buf)
                if let f = filter { v = try applyFilterChain(f, to: v) }
                try assign(target, v)
            } catch var err as JinjaError { err.locate(sp, templateName); throw err }
        case .macro(let decl):
            scope.vars[decl.name] = .macro(Macro(decl: decl, closure: scope, templateName: templateName))
        case .callBlock(let c):
            span = c.span
            do {
                let caller = Value.macro(Macro(decl: c.caller, closure: scope, templateName: templateName))
                guard case .call(let callee, let args, _) = c.call else { return .normal }
                let v = try evalCall(callee, args, caller: caller)
                try write(v, into: &out)
            } catch var err as JinjaError { err.locate(c.span, templateName); throw err }
        case .filterBlock(let filter, let body, let sp):
            span = sp
            do {
                var buf = ""
                let saved = scope
                scope = Scope(parent: saved)
                defer { scope = saved }
                _ = try exec(body, into: &buf)
                try write(try applyFilterChain(filter, to: .string(buf)), into: &out)
            } catch var err as JinjaError { err.locate(sp, templateName); throw err }
        case .exprStmt(let e, let sp):
            span = sp
            do { _ = try eval(e) } catch var err as JinjaError { err.locate(sp, templateName); throw err }
        case .with(let pairs, let body, let sp):
            span = sp
            let inner = Scope(parent: scope)
            do {
                var values: [Value] = []
                for (_, e) in pairs { values.append(try eval(e)) }
                let saved = scope
                scope = inner
                defer { scope = saved }
                for (i, (t, _)) in pairs.enumerated() { try assign(t, values[i]) }
                return try exec(body, into: &out)
            } catch var err as JinjaError { err.locate(sp, templateName); throw err }
        case .include(let e, let ignoreMissing, let withContext, let sp):
            span = sp
            do { try include(e, ignoreMissing: ignoreMissing, withContext: withContext, into: &out) }
            catch var err as JinjaError { err.locate(sp, templateName); throw err }
        case .importAs(let e, let name, _, let sp):
            span = sp
            do {
                let module = try importModule(try eval(e))
                scope.vars[name] = .object(module)
            } catch var err as JinjaError { err.locate(sp, templateName); throw err }
        case .fromImport(let e, let names, _, let sp):
            span = sp
            do {
                let module = try importModule(try eval(e))
                for (name, alias) in names {
                    if let v = module.exports[name] { scope.vars[alias] = v }
                    else {
                        throw JinjaError(.undefined, "the template \(Value.string(module.name).pythonRepr()) (imported on line \(sp.line)) does not export the requested name \(Value.string(name).pythonRepr())")
                    }
                }
            } catch var err as JinjaError { err.locate(sp, templateName); throw err }
        case .breakLoop:
            return .breakLoop
        case .continueLoop:
            return .continueLoop
        case .capture(let tag, let name, let body):
            captures[tag, default: [:]][name] = body
        }
        return .normal
    }

    /// Prints a value the way `{{ }}` does.
    @inline(__always) func write(_ v: Value, into out: inout String) throws {
        switch v {
        case .string(let s): out += s
        case .undefined(let u): if isStrict(u) { throw undefinedError(u) }
        default: v.writeStr(into: &out)
        }
    }

    func assign(_ target: Target, _ value: Value) throws {
        switch target {
        case .name(let n):
            scope.vars[n] = value
        case .tuple(let targets):
            let items = try unpackable(value)
            guard items.count == targets.count else {
                if items.count > targets.count { throw JinjaError(.value, "too many values to unpack (expected \(targets.count))") }
                throw JinjaError(.value, "not enough values to unpack (expected \(targets.count), got \(items.count))")
            }
            for (t, v) in zip(targets, items) { try assign(t, v) }
        case .namespaceAttr(let ns, let attr):
            guard case .object(let o) = lookup(ns), let namespace = o as? Namespace else {
                throw JinjaError(.runtime, "cannot assign attribute on non-namespace object")
            }
            namespace.storage.set(.string(attr), value)
        }
    }

    func unpackable(_ v: Value) throws -> [Value] {
        if case .undefined(let u) = v { throw undefinedError(u) }
        return try iterate(v)
    }

    func runLoop(_ f: ForNode, items rawItems: [Value], depth: Int, into out: inout String) throws {
        let outer = scope
        let frame = Scope(parent: outer, capacity: 4)
        scope = frame
        defer { scope = outer }
        var items = rawItems
        if let cond = f.filter {
            items = []
            for item in rawItems {
                frame.vars.removeAll(keepingCapacity: true)
                try assign(f.target, item)
                if try truthy(try eval(cond)) { items.append(item) }
            }
        }
        if items.isEmpty {
            scope = outer
            _ = try exec(f.elseBody, into: &out)
            return
        }
        let loop = LoopState(items: items, depth: depth, node: f)
        let loopValue = Value.object(loop)
        for (i, item) in items.enumerated() {
            try burn()
            frame.vars.removeAll(keepingCapacity: true)
            loop.index0 = i
            frame.vars["loop"] = loopValue
            try assign(f.target, item)
            let flow = try exec(f.body, into: &out)
            if case .breakLoop = flow { break }
        }
    }

    /// The recursive `loop(children)` call of a `{% for … recursive %}` loop.
    func recurse(_ loop: LoopState, _ args: Arguments) throws -> Value {
        guard let first = args.positional.first, args.count == 1 else {
            throw JinjaError(.type, "loop() takes exactly one argument")
        }
        depth += 1
        defer { depth -= 1 }
        if depth > environment.limits.maxDepth { throw JinjaError(.recursionLimit, "maximum recursion depth exceeded in recursive loop") }
        var buf = ""
        // The recursive body runs in the scope the loop was entered from.
        let saved = scope
        if let p = scope.parent { scope = p }
        defer { scope = saved }
        try runLoop(loop.node, items: try iterate(first), depth: loop.depth + 1, into: &buf)
        return .string(buf)
    }

    func include(_ e: Expr, ignoreMissing: Bool, withContext: Bool, into out: inout String) throws {
        let nameValue = try eval(e)
        var candidates: [Value] = []
        if let list = nameValue.asList { candidates = list } else { candidates = [nameValue] }
        var template: Template? = nil
        for c in candidates {
            let n = try str(c)
            if let t = try environment.loadTemplate(n, required: false) { template = t; break }
        }
        guard let t = template else {
            if ignoreMissing { return }
            let names = candidates.map { $0.pythonStr() }
            throw JinjaError(.templateNotFound, names.count == 1 ? names[0] : "none of the templates given were found: \(names)")
        }
        depth += 1
        defer { depth -= 1 }
        if depth > environment.limits.maxDepth { throw JinjaError(.recursionLimit, "maximum recursion depth exceeded including '\(t.name)'") }
        let saved = scope
        let savedName = templateName
        scope = Scope(parent: withContext ? saved : nil)
        scope.isTemplateRoot = true
        // Jinja2 passes locals to included templates, but never the `loop` variable.
        if withContext { scope.vars["loop"] = .undefined(named: "loop") }
        templateName = t.name
        defer { scope = saved; templateName = savedName }
        _ = try exec(t.body, into: &out)
    }

    /// Runs a template's top level in its own scope and collects its exports.
    func importModule(_ nameValue: Value) throws -> ModuleObject {
        if case .object(let o) = nameValue, let m = o as? ModuleObject { return m }
        let n = try str(nameValue)
        guard let t = try environment.loadTemplate(n, required: true) else {
            throw JinjaError(.templateNotFound, n)
        }
        depth += 1
        defer { depth -= 1 }
        if depth > environment.limits.maxDepth { throw JinjaError(.recursionLimit, "maximum recursion depth exceeded importing '\(n)'") }
        let saved = scope
        let savedName = templateName
        let root = Scope(parent: nil)
        root.isTemplateRoot = true
        scope = root
        templateName = t.name
        defer { scope = saved; templateName = savedName }
        var buf = ""
        _ = try exec(t.body, into: &buf)
        return ModuleObject(name: t.name, exports: State.exports(of: root), output: buf)
    }

    static func exports(of root: Scope) -> [String: Value] {
        var out: [String: Value] = [:]
        for (k, v) in root.vars where !k.hasPrefix("_") { out[k] = v }
        return out
    }
}
