/// The syntax tree of an expression program, every node with its source range.
struct Expression {
    indirect enum Node {
        case number(Double)
        case string(String)
        case name(String)
        /// `(a, b)` or `[a, b]`.
        case sequence([Expression])
        case unary(String, Expression)
        case binary(String, Expression, Expression)
        case call(Expression, [Argument])
        case attribute(Expression, String)
        case subscripted(Expression, [Subscript])
    }

    let node: Node
    let range: Range<Int>
}

/// One argument of a call: positional, or `label=value`.
struct Argument {
    let label: String?
    let value: Expression
}

/// One item between `[` and `]`: a position, or `start:stop:step` with parts left out.
enum Subscript {
    case index(Expression)
    case slice(start: Expression?, stop: Expression?, step: Expression?)
}

/// `name = value`, or a bare expression (the last one is the program's result).
struct Statement {
    let target: (name: String, range: Range<Int>)?
    let value: Expression
}
