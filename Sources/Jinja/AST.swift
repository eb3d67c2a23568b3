/// The abstract syntax tree. Every node carries the span of its first token.
///
/// Recursive cases are `indirect`; payload-heavy statements are `final class`es so the tree
/// is shared (not copied) between the cache and concurrent renders. The tree is immutable
/// after parsing.

/// Arguments of a call, a filter or a test, as written.
struct CallArgs: Sendable {
    var args: [Expr] = []
    var kwargs: [(String, Expr)] = []
    var star: Expr? = nil
    var doubleStar: Expr? = nil
    static let empty = CallArgs()
    var isEmpty: Bool { args.isEmpty && kwargs.isEmpty && star == nil && doubleStar == nil }
}

enum BinaryOp: Sendable { case add, sub, mul, div, floordiv, mod, pow }
enum CompareOp: Sendable { case eq, ne, lt, lteq, gt, gteq, isIn, notIn }
enum UnaryOp: Sendable { case not, neg, pos }

indirect enum Expr: Sendable {
    case const(Value, SourceSpan)
    case name(String, SourceSpan)
    case list([Expr], SourceSpan)
    case tuple([Expr], SourceSpan)
    case dict([(Expr, Expr)], SourceSpan)
    case getattr(Expr, String, SourceSpan)
    case getitem(Expr, Expr, SourceSpan)
    case slice(Expr, Expr?, Expr?, Expr?, SourceSpan)
    case call(Expr, CallArgs, SourceSpan)
    /// A filter application; the base is `nil` inside `{% filter %}` / `{% set x | f %}` chains.
    case filter(Expr?, String, CallArgs, SourceSpan)
    case test(Expr, String, CallArgs, SourceSpan)
    case unary(UnaryOp, Expr, SourceSpan)
    case binary(BinaryOp, Expr, Expr, SourceSpan)
    case and(Expr, Expr, SourceSpan)
    case or(Expr, Expr, SourceSpan)
    case compare(Expr, [(CompareOp, Expr)], SourceSpan)
    case concat([Expr], SourceSpan)
    case cond(Expr, Expr, Expr?, SourceSpan)  // test, then, else

    var span: SourceSpan {
        switch self {
        case .const(_, let s), .name(_, let s), .list(_, let s), .tuple(_, let s), .dict(_, let s),
             .getattr(_, _, let s), .getitem(_, _, let s), .slice(_, _, _, _, let s), .call(_, _, let s),
             .filter(_, _, _, let s), .test(_, _, _, let s), .unary(_, _, let s), .binary(_, _, _, let s),
             .and(_, _, let s), .or(_, _, let s), .compare(_, _, let s), .concat(_, let s), .cond(_, _, _, let s):
            return s
        }
    }
}

/// Where `set`, `for` and `with` store values.
indirect enum Target: Sendable {
    case name(String)
    case tuple([Target])
    case namespaceAttr(String, String)
}

final class ForNode: Sendable {
    let target: Target
    let iter: Expr
    let filter: Expr?
    let recursive: Bool
    let body: [Stmt]
    let elseBody: [Stmt]
    let span: SourceSpan
    init(target: Target, iter: Expr, filter: Expr?, recursive: Bool, body: [Stmt], elseBody: [Stmt], span: SourceSpan) {
        self.target = target; self.iter = iter; self.filter = filter; self.recursive = recursive
        self.body = body; self.elseBody = elseBody; self.span = span
    }
}

/// A macro definition (`{% macro %}`, a `{% call %}` body, or a registered dbt block tag).
final class MacroDecl: Sendable {
    let name: String
    let params: [(String, Expr?)]
    let body: [Stmt]
    let usesCaller: Bool
    let usesVarargs: Bool
    let usesKwargs: Bool
    let span: SourceSpan
    init(name: String, params: [(String, Expr?)], body: [Stmt], span: SourceSpan) {
        self.name = name; self.params = params; self.body = body; self.span = span
        var found = Set<String>()
        Walker.findNames(["caller", "varargs", "kwargs"], in: body, into: &found)
        usesCaller = found.contains("caller")
        usesVarargs = found.contains("varargs")
        usesKwargs = found.contains("kwargs")
    }
}

final class CallBlockNode: Sendable {
    let caller: MacroDecl
    let call: Expr
    let span: SourceSpan
    init(caller: MacroDecl, call: Expr, span: SourceSpan) { self.caller = caller; self.call = call; self.span = span }
}

indirect enum Stmt: Sendable {
    case data(String)
    case output(Expr, SourceSpan)
    case ifs([(Expr, [Stmt])], [Stmt], SourceSpan)
    case forLoop(ForNode)
    case set(Target, Expr, SourceSpan)
    case setBlock(Target, Expr?, [Stmt], SourceSpan)
    case macro(MacroDecl)
    case callBlock(CallBlockNode)
    case filterBlock(Expr, [Stmt], SourceSpan)
    case exprStmt(Expr, SourceSpan)
    case with([(Target, Expr)], [Stmt], SourceSpan)
    case include(Expr, ignoreMissing: Bool, withContext: Bool, SourceSpan)
    case importAs(Expr, String, withContext: Bool, SourceSpan)
    case fromImport(Expr, [(String, String)], withContext: Bool, SourceSpan)
    case breakLoop(SourceSpan)
    case continueLoop(SourceSpan)
    /// A registered capture block (dbt `docs`, `snapshot`): renders nothing, exported raw.
    case capture(tag: String, name: String, body: String)
}

/// Read-only traversals of the tree.
enum Walker {
    static func findNames(_ names: Set<String>, in stmts: [Stmt], into found: inout Set<String>) {
        for s in stmts { findNames(names, stmt: s, into: &found) }
    }

    static func findNames(_ names: Set<String>, stmt: Stmt, into found: inout Set<String>) {
        switch stmt {
        case .data, .breakLoop, .continueLoop, .capture: break
        case .output(let e, _), .exprStmt(let e, _), .set(_, let e, _): findNames(names, expr: e, into: &found)
        case .ifs(let branches, let els, _):
            for (c, b) in branches { findNames(names, expr: c, into: &found); findNames(names, in: b, into: &found) }
            findNames(names, in: els, into: &found)
        case .forLoop(let f):
            findNames(names, expr: f.iter, into: &found)
            if let c = f.filter { findNames(names, expr: c, into: &found) }
            findNames(names, in: f.body, into: &found); findNames(names, in: f.elseBody, into: &found)
        case .setBlock(_, let f, let body, _):
            if let f { findNames(names, expr: f, into: &found) }
            findNames(names, in: body, into: &found)
        case .macro(let m):
            for (_, d) in m.params { if let d { findNames(names, expr: d, into: &found) } }
            findNames(names, in: m.body, into: &found)
        case .callBlock(let c):
            findNames(names, expr: c.call, into: &found)
            findNames(names, in: c.caller.body, into: &found)
        case .filterBlock(let f, let body, _):
            findNames(names, expr: f, into: &found); findNames(names, in: body, into: &found)
        case .with(let pairs, let body, _):
            for (_, e) in pairs { findNames(names, expr: e, into: &found) }
            findNames(names, in: body, into: &found)
        case .include(let e, _, _, _), .importAs(let e, _, _, _), .fromImport(let e, _, _, _):
            findNames(names, expr: e, into: &found)
        }
    }

    static func findNames(_ names: Set<String>, args: CallArgs, into found: inout Set<String>) {
        for a in args.args { findNames(names, expr: a, into: &found) }
        for (_, a) in args.kwargs { findNames(names, expr: a, into: &found) }
        if let s = args.star { findNames(names, expr: s, into: &found) }
        if let s = args.doubleStar { findNames(names, expr: s, into: &found) }
    }

    static func findNames(_ names: Set<String>, expr: Expr, into found: inout Set<String>) {
        switch expr {
        case .const: break
        case .name(let n, _): if names.contains(n) { found.insert(n) }
        case .list(let xs, _), .tuple(let xs, _), .concat(let xs, _):
            for x in xs { findNames(names, expr: x, into: &found) }
        case .dict(let pairs, _):
            for (k, v) in pairs { findNames(names, expr: k, into: &found); findNames(names, expr: v, into: &found) }
        case .getattr(let b, _, _), .unary(_, let b, _): findNames(names, expr: b, into: &found)
        case .getitem(let a, let b, _), .binary(_, let a, let b, _), .and(let a, let b, _), .or(let a, let b, _):
            findNames(names, expr: a, into: &found); findNames(names, expr: b, into: &found)
        case .slice(let b, let x, let y, let z, _):
            findNames(names, expr: b, into: &found)
            for e in [x, y, z] { if let e { findNames(names, expr: e, into: &found) } }
        case .call(let b, let args, _), .test(let b, _, let args, _):
            findNames(names, expr: b, into: &found); findNames(names, args: args, into: &found)
        case .filter(let b, _, let args, _):
            if let b { findNames(names, expr: b, into: &found) }
            findNames(names, args: args, into: &found)
        case .compare(let a, let ops, _):
            findNames(names, expr: a, into: &found)
            for (_, e) in ops { findNames(names, expr: e, into: &found) }
        case .cond(let a, let b, let c, _):
            findNames(names, expr: a, into: &found); findNames(names, expr: b, into: &found)
            if let c { findNames(names, expr: c, into: &found) }
        }
    }
}
