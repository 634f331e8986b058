import BlockArray

/// Walks the syntax tree and builds values: numbers fold, arrays stay lazy.
struct Evaluator {
    let source: String
    let defaults: Defaults
    var variables: [String: Value] = [:]
    /// Arrays made by creation functions, in order.
    private(set) var created: [BlockArray] = []
    /// Where a creation call's `chunks=` was replaced by `defaults.chunksOverride`.
    private(set) var overriddenChunks: [Range<Int>] = []
    /// The files `load` calls opened, in order.
    let loaded = LoadedFiles()

    private static let constants: [String: Value] = [
        "pi": .number(Double.pi), "e": .number(2.718_281_828_459_045), "inf": .number(.infinity), "nan": .number(.nan),
        "True": .number(1), "False": .number(0), "None": .none, "newaxis": .none,
    ]
    private static let creationFunctions: Set<String> = ["random", "normal", "ones", "zeros", "full", "arange", "linspace", "eye", "load"]

    init(source: String, defaults: Defaults) {
        self.source = source
        self.defaults = defaults
    }

    private func fail(_ kind: ExpressionError.Kind, _ message: String, _ range: Range<Int>) -> ExpressionError {
        ExpressionError(kind, message, in: source, at: range)
    }

    /// The value of `expression`; the library refuses arrays past its `Limits`.
    mutating func evaluate(_ expression: Expression) throws(ExpressionError) -> Value {
        let range = expression.range
        switch expression.node {
        case .number(let value):
            return .number(value)
        case .string(let text):
            return .string(text)
        case .name(let name):
            if let value = variables[name] ?? Self.constants[name] { return value }
            if Builtins.table[name] != nil { throw fail(.badArgument, "'\(name)' is a function: call it, as \(name)(…)", range) }
            throw fail(.unknownName, "unknown name '\(name)'\(suggestion(for: name))", range)
        case .sequence(let items):
            var values: [Value] = []
            for item in items { values.append(try evaluate(item)) }
            return .sequence(values)
        case .unary(let symbol, let operand):
            let value = try evaluate(operand)
            switch symbol {
            case "-": return try Operators.negate(value, source: source, at: range)
            case "~": return try Operators.logicalNot(value, source: source, at: operand.range)
            default: return value
            }
        case .binary(let symbol, let lhs, let rhs):
            let left = try evaluate(lhs), right = try evaluate(rhs)
            if symbol == "@" { return try Operators.matmul(left, right, source: source, at: range) }
            if symbol == "&" || symbol == "|" {
                try Operators.checkTruthValue(left, symbol: symbol, source: source, at: lhs.range)
                try Operators.checkTruthValue(right, symbol: symbol, source: source, at: rhs.range)
            }
            return try Operators.binary(Operators.binaryOperations[symbol]!, left, right, symbol: symbol, source: source, at: range)
        case .attribute(let base, let name):
            return try attribute(name, of: try evaluate(base), range: range)
        case .call(let callee, let arguments):
            return try call(callee, arguments, range: range)
        case .subscripted(let base, let items):
            return try subscripted(try evaluate(base), items, range: range)
        }
    }

    private func suggestion(for name: String) -> String {
        // Short names match too much; allow one edit below six characters, two from six on.
        guard name.count >= 3 else { return "" }
        let allowed = name.count >= 6 ? 2 : 1
        let candidates = Builtins.names + variables.keys.sorted()
        guard let close = candidates.first(where: { editDistance($0, name) <= allowed }) else { return "" }
        return "; did you mean '\(close)'?"
    }

    private func attribute(_ name: String, of value: Value, range: Range<Int>) throws(ExpressionError) -> Value {
        guard case .array(let array) = value else {
            throw fail(.badArgument, "\(value.typeName) has no attribute '\(name)'", range)
        }
        switch name {
        case "T": return .array(array.T)
        case "shape": return .sequence(array.shape.map { .number(Double($0)) })
        case "ndim": return .number(Double(array.rank))
        case "size": return .number(Double(array.count))
        default:
            if Builtins.table[name] != nil { throw fail(.badArgument, "'\(name)' is a method: call it, as .\(name)(…)", range) }
            throw fail(.unknownName, "arrays have no attribute '\(name)'", range)
        }
    }

    private mutating func call(_ callee: Expression, _ arguments: [Argument], range: Range<Int>) throws(ExpressionError) -> Value {
        var positional: [(Value, Range<Int>)] = []
        let name: String
        let nameRange: Range<Int>
        switch callee.node {
        case .name(let function):
            name = function
            nameRange = callee.range
        case .attribute(let base, let method):
            name = method
            nameRange = callee.range
            positional.append((try evaluate(base), base.range))
        default:
            throw fail(.syntax, "only functions and methods can be called", callee.range)
        }
        guard let builtin = Builtins.table[name] else {
            throw fail(.unknownName, "unknown function '\(name)'\(suggestion(for: name))", nameRange)
        }
        var keywords: [(String, Value, Range<Int>)] = []
        for argument in arguments {
            let value = try evaluate(argument.value)
            if let label = argument.label { keywords.append((label, value, argument.value.range)) }
            else { positional.append((value, argument.value.range)) }
        }
        if builtin.lastGathers && positional.count > builtin.parameters.count {
            // `x.reshape(4, 6)`: the last parameter takes the rest, as the tuple (4, 6).
            let last = builtin.parameters.count - 1
            let rest = positional[last...]
            positional = Array(positional[..<last]) + [(.sequence(rest.map(\.0)), rest.first!.1.lowerBound..<rest.last!.1.upperBound)]
        }
        let bound = try Arguments(function: name, parameters: builtin.parameters, required: builtin.required,
                                  positional: positional, keywords: keywords, source: source, callRange: range, defaults: defaults, loaded: loaded)
        let value = try builtin.body(bound)
        if Self.creationFunctions.contains(name), case .array(let array) = value {
            created.append(array)
            if defaults.chunksOverride != nil, bound.has("chunks") { overriddenChunks.append(bound.range("chunks")) }
        }
        return value
    }

    private mutating func subscripted(_ base: Value, _ items: [Subscript], range: Range<Int>) throws(ExpressionError) -> Value {
        guard case .array(let array) = base else { throw fail(.badArgument, "cannot index \(base.typeName)", range) }
        var indices: [AxisIndex] = []
        for item in items {
            switch item {
            case .index(let expression):
                let value = try evaluate(expression)
                if case .none = value { indices.append(.newAxis) } else { indices.append(.index(try wholeNumber(value, at: expression.range))) }
            case .slice(let start, let stop, let step):
                indices.append(.slice(start: try start.map { (e) throws(ExpressionError) in try wholeNumber(e) },
                                      stop: try stop.map { (e) throws(ExpressionError) in try wholeNumber(e) },
                                      step: try step.map { (e) throws(ExpressionError) in try wholeNumber(e) }))
            }
        }
        do {
            return .array(try array.slice(indices))
        } catch let error as BlockArrayError {
            throw fail(error.expressionKind == .badValue ? .badAxis : error.expressionKind, error.description, range)
        } catch {
            throw fail(.badValue, "\(error)", range)
        }
    }

    private mutating func wholeNumber(_ expression: Expression) throws(ExpressionError) -> Int {
        try wholeNumber(try evaluate(expression), at: expression.range)
    }

    private func wholeNumber(_ value: Value, at range: Range<Int>) throws(ExpressionError) -> Int {
        guard case .number(let number) = value, number == number.rounded(), abs(number) < 1e15 else {
            throw fail(.badArgument, "an index must be a whole number or None", range)
        }
        return Int(number)
    }
}

/// Levenshtein distance, for "did you mean" hints.
private func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var previous = Array(0...b.count)
    for i in 1...max(1, a.count) where !a.isEmpty {
        var current = [i] + [Int](repeating: 0, count: b.count)
        for j in 1...max(1, b.count) where !b.isEmpty {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return a.isEmpty ? b.count : previous[b.count]
}
