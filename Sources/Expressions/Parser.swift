/// A recursive-descent parser for blocktop's NumPy-like expression language.
///
///     program    := statement ((';' | newline) statement)*
///     statement  := NAME '=' expr | expr
///     expr       := or (('<' | '<=' | '>' | '>=' | '==' | '!=') or)?
///     or         := and ('|' and)*
///     and        := additive ('&' additive)*
///     additive   := term (('+' | '-') term)*
///     term       := unary (('*' | '/' | '%' | '@') unary)*
///     unary      := ('-' | '+' | '~') unary | power
///     power      := postfix ('**' unary)?
///     postfix    := primary ('.' NAME | '(' arguments ')' | '[' subscripts ']')*
///     primary    := NUMBER | STRING | NAME | '(' expr ')' | '(' expr ',' … ')' | '[' expr, … ']'
///
/// Precedence and associativity follow Python (so `-x**2` is `-(x**2)`), `&` and `|` included:
/// they bind tighter than comparisons, so `(x > 0) & (x < 1)` needs its parentheses, as in NumPy.
/// Python chains comparisons (`a < b < c` is `a < b and b < c`), which arrays cannot do, so a
/// second comparison is refused; that also catches the unparenthesized `x > 0 & x < 1`.
struct Parser {
    private let source: String
    private let tokens: [Token]
    private var position = 0

    init(_ source: String) throws(ExpressionError) {
        self.source = source
        self.tokens = try Lexer.tokens(source)
    }

    /// Parses the whole program.
    mutating func program() throws(ExpressionError) -> [Statement] {
        var statements: [Statement] = []
        while true {
            while accept(";") {}
            if case .end = current.kind { break }
            statements.append(try statement())
            if case .end = current.kind { break }
            guard accept(";") else { throw error("expected ';' or the end, found \(describe(current))", current.range) }
        }
        guard !statements.isEmpty else { throw error("the expression is empty", 0..<1) }
        return statements
    }

    private var current: Token { tokens[position] }

    private func error(_ message: String, _ range: Range<Int>) -> ExpressionError {
        ExpressionError(.syntax, message, in: source, at: range)
    }

    private func describe(_ token: Token) -> String {
        switch token.kind {
        case .number(let value): return "number \(value)"
        case .name(let name): return "'\(name)'"
        case .string(let text): return "string '\(text)'"
        case .symbol(let symbol): return "'\(symbol)'"
        case .end: return "the end"
        }
    }

    private mutating func accept(_ symbol: String) -> Bool {
        guard case .symbol(symbol) = current.kind else { return false }
        position += 1
        return true
    }

    private mutating func expect(_ symbol: String) throws(ExpressionError) -> Token {
        let token = current
        guard accept(symbol) else { throw error("expected '\(symbol)', found \(describe(token))", token.range) }
        return token
    }

    private mutating func statement() throws(ExpressionError) -> Statement {
        if case .name(let name) = current.kind, case .symbol("=") = tokens[position + 1].kind {
            let range = current.range
            position += 2
            return Statement(target: (name, range), value: try expression())
        }
        return Statement(target: nil, value: try expression())
    }

    private static let comparisons = ["<", "<=", ">", ">=", "==", "!="]

    private mutating func expression() throws(ExpressionError) -> Expression {
        let left = try logicalOr()
        guard case .symbol(let symbol) = current.kind, Self.comparisons.contains(symbol) else { return left }
        position += 1
        let right = try logicalOr()
        if case .symbol(let next) = current.kind, Self.comparisons.contains(next) {
            throw error("comparisons do not chain; '&' and '|' bind tighter than comparisons, as in Python: "
                        + "write (a \(symbol) b) & (b \(next) c)", current.range)
        }
        return Expression(node: .binary(symbol, left, right), range: left.range.lowerBound..<right.range.upperBound)
    }

    private mutating func logicalOr() throws(ExpressionError) -> Expression {
        try binaryLevel(["|"]) { (p: inout Parser) throws(ExpressionError) in
            try p.binaryLevel(["&"]) { (p: inout Parser) throws(ExpressionError) in
                try p.binaryLevel(["+", "-"]) { (p: inout Parser) throws(ExpressionError) in
                    try p.binaryLevel(["*", "/", "%", "@"]) { (p: inout Parser) throws(ExpressionError) in try p.unary() }
                }
            }
        }
    }

    /// Left-associative operators of one precedence level over operands parsed by `operand`.
    private mutating func binaryLevel(
        _ operators: [String], _ operand: (inout Parser) throws(ExpressionError) -> Expression
    ) throws(ExpressionError) -> Expression {
        var left = try operand(&self)
        while case .symbol(let symbol) = current.kind, operators.contains(symbol) {
            position += 1
            let right = try operand(&self)
            left = Expression(node: .binary(symbol, left, right), range: left.range.lowerBound..<right.range.upperBound)
        }
        return left
    }

    private mutating func unary() throws(ExpressionError) -> Expression {
        if case .symbol(let symbol) = current.kind, symbol == "-" || symbol == "+" || symbol == "~" {
            let start = current.range.lowerBound
            position += 1
            let operand = try unary()
            return Expression(node: .unary(symbol, operand), range: start..<operand.range.upperBound)
        }
        let base = try postfix()
        if accept("**") {
            let exponent = try unary()
            return Expression(node: .binary("**", base, exponent), range: base.range.lowerBound..<exponent.range.upperBound)
        }
        return base
    }

    private mutating func postfix() throws(ExpressionError) -> Expression {
        var expression = try primary()
        while true {
            let start = expression.range.lowerBound
            if accept(".") {
                guard case .name(let name) = current.kind else {
                    throw error("expected a name after '.', found \(describe(current))", current.range)
                }
                let end = current.range.upperBound
                position += 1
                expression = Expression(node: .attribute(expression, name), range: start..<end)
            } else if accept("(") {
                let arguments = try argumentList()
                let close = try expect(")")
                expression = Expression(node: .call(expression, arguments), range: start..<close.range.upperBound)
            } else if accept("[") {
                let subscripts = try subscriptList()
                let close = try expect("]")
                expression = Expression(node: .subscripted(expression, subscripts), range: start..<close.range.upperBound)
            } else {
                return expression
            }
        }
    }

    private mutating func argumentList() throws(ExpressionError) -> [Argument] {
        var arguments: [Argument] = []
        while !isSymbol(")") {
            if case .name(let label) = current.kind, case .symbol("=") = tokens[position + 1].kind {
                position += 2
                arguments.append(Argument(label: label, value: try expression()))
            } else {
                if let labelled = arguments.last(where: { $0.label != nil }) {
                    throw error("a positional argument cannot follow the keyword argument '\(labelled.label!)'", current.range)
                }
                arguments.append(Argument(label: nil, value: try expression()))
            }
            guard accept(",") else { break }
        }
        return arguments
    }

    private mutating func subscriptList() throws(ExpressionError) -> [Subscript] {
        var items: [Subscript] = []
        repeat {
            if isSymbol("]") { break }
            let start = isSymbol(":") ? nil : try expression()
            if accept(":") {
                let stop = isSymbol(":") || isSymbol(",") || isSymbol("]") ? nil : try expression()
                var step: Expression?
                if accept(":") { step = isSymbol(",") || isSymbol("]") ? nil : try expression() }
                items.append(.slice(start: start, stop: stop, step: step))
            } else if let start {
                items.append(.index(start))
            }
        } while accept(",")
        return items
    }

    private func isSymbol(_ symbol: String) -> Bool {
        if case .symbol(symbol) = current.kind { return true }
        return false
    }

    private mutating func primary() throws(ExpressionError) -> Expression {
        let token = current
        switch token.kind {
        case .number(let value):
            position += 1
            return Expression(node: .number(value), range: token.range)
        case .string(let text):
            position += 1
            return Expression(node: .string(text), range: token.range)
        case .name(let name):
            position += 1
            return Expression(node: .name(name), range: token.range)
        case .symbol("("):
            position += 1
            if accept(")") { return Expression(node: .sequence([]), range: token.range.lowerBound..<tokens[position - 1].range.upperBound) }
            let first = try expression()
            guard accept(",") else {
                _ = try expect(")")
                return first
            }
            var items = [first]
            while !isSymbol(")") {
                items.append(try expression())
                guard accept(",") else { break }
            }
            let close = try expect(")")
            return Expression(node: .sequence(items), range: token.range.lowerBound..<close.range.upperBound)
        case .symbol("["):
            position += 1
            var items: [Expression] = []
            while !isSymbol("]") {
                items.append(try expression())
                guard accept(",") else { break }
            }
            let close = try expect("]")
            return Expression(node: .sequence(items), range: token.range.lowerBound..<close.range.upperBound)
        default:
            throw error("expected a value, found \(describe(token))", token.range)
        }
    }
}
