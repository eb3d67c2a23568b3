/// Operators and punctuation inside `{{ }}` and `{% %}`.
enum Op: UInt8, Sendable {
    case add, sub, div, floordiv, mul, pow, mod, tilde
    case lbracket, rbracket, lparen, rparen, lbrace, rbrace
    case eq, ne, lt, lteq, gt, gteq, assign, dot, colon, pipe, comma, semicolon

    var text: String {
        switch self {
        case .add: "+"; case .sub: "-"; case .div: "/"; case .floordiv: "//"; case .mul: "*"
        case .pow: "**"; case .mod: "%"; case .tilde: "~"; case .lbracket: "["; case .rbracket: "]"
        case .lparen: "("; case .rparen: ")"; case .lbrace: "{"; case .rbrace: "}"; case .eq: "=="
        case .ne: "!="; case .lt: "<"; case .lteq: "<="; case .gt: ">"; case .gteq: ">="
        case .assign: "="; case .dot: "."; case .colon: ":"; case .pipe: "|"; case .comma: ","
        case .semicolon: ";"
        }
    }
}

/// One lexical token. Template text between tags is `data`.
enum Token: Sendable {
    case data(String)
    case variableBegin, variableEnd, blockBegin, blockEnd
    case name(String)
    case string(String)
    case integer(Int)
    case float(Double)
    case op(Op)
    case eof

    var describe: String {
        switch self {
        case .data: "template data"
        case .variableBegin: "'{{'"
        case .variableEnd: "'}}'"
        case .blockBegin: "'{%'"
        case .blockEnd: "'%}'"
        case .name(let n): "'\(n)'"
        case .string: "string"
        case .integer(let i): "'\(i)'"
        case .float(let d): "'\(d)'"
        case .op(let o): "'\(o.text)'"
        case .eof: "end of template"
        }
    }
}

/// A token with where it starts and where it ends (byte offset one past its last byte).
struct SpannedToken: Sendable {
    var token: Token
    var span: SourceSpan
    var end: Int
}
