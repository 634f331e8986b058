import BlockArray

/// Arithmetic, comparison, logic and `@` between values: numbers fold to numbers,
/// anything with an array builds an elementwise (or matmul) layer.
enum Operators {
    static let binaryOperations: [String: BinaryOperation] = [
        "+": .add, "-": .subtract, "*": .multiply, "/": .divide, "%": .mod, "**": .power,
        "<": .less, "<=": .lessEqual, ">": .greater, ">=": .greaterEqual, "==": .equal, "!=": .notEqual,
        "&": .logicalAnd, "|": .logicalOr,
    ]

    /// Throws unless `value` can be an operand of `&`, `|` or `~`: an array (its non-zero elements
    /// are true: comparison results are 0/1) or the number 0 or 1 (`False`, `True`). Python's `~2`
    /// is -3 and `2 & 3` is 2, bit operations on integers that float64 values do not have, so any
    /// other number is refused rather than taken as true.
    static func checkTruthValue(_ value: Value, symbol: String, source: String, at range: Range<Int>) throws(ExpressionError) {
        switch value {
        case .array: return
        case .number(let x) where x == 0 || x == 1: return
        case .number(let x):
            let number = x == x.rounded() && Swift.abs(x) < 1e15 ? "\(Int(x))" : "\(x)"
            throw ExpressionError(.badArgument, "'\(symbol)' is logical here and takes booleans (comparisons, isnan(…), True, False), "
                                  + "not the number \(number)", in: source, at: range)
        default:
            throw ExpressionError(.badArgument, "'\(symbol)' takes booleans, not \(value.typeName)", in: source, at: range)
        }
    }

    static func binary(_ operation: BinaryOperation, _ lhs: Value, _ rhs: Value,
                       symbol: String, source: String, at range: Range<Int>) throws(ExpressionError) -> Value {
        func fail(_ message: String, _ kind: ExpressionError.Kind = .badArgument) -> ExpressionError {
            ExpressionError(kind, message, in: source, at: range)
        }
        switch (lhs, rhs) {
        case (.number(let x), .number(let y)):
            return .number(operation.apply(x, y))
        case (.array(let x), .number(let y)):
            return .array(x.apply(operation, y))
        case (.number(let x), .array(let y)):
            return .array(y.apply(operation, scalarOnLeft: x))
        case (.array(let x), .array(let y)):
            do {
                return .array(try BlockArray.apply(operation, x, y))
            } catch let error as BlockArrayError {
                throw fail("'\(symbol)': \(error.description)", error.expressionKind)
            } catch {
                throw fail("'\(symbol)': \(error)", .badValue)
            }
        default:
            throw fail("'\(symbol)' cannot combine \(lhs.typeName) and \(rhs.typeName)")
        }
    }

    static func matmul(_ lhs: Value, _ rhs: Value, source: String, at range: Range<Int>) throws(ExpressionError) -> Value {
        guard case .array(let x) = lhs, case .array(let y) = rhs else {
            throw ExpressionError(.badArgument, "'@' needs two arrays, got \(lhs.typeName) and \(rhs.typeName)", in: source, at: range)
        }
        do {
            return .array(try BlockArray.matmul(x, y))
        } catch let error as BlockArrayError {
            throw ExpressionError(error.expressionKind, "'@': \(error.description)", in: source, at: range)
        } catch {
            throw ExpressionError(.badValue, "'@': \(error)", in: source, at: range)
        }
    }

    /// `~value`: logical not of a truth value (see `checkTruthValue`).
    static func logicalNot(_ value: Value, source: String, at range: Range<Int>) throws(ExpressionError) -> Value {
        try checkTruthValue(value, symbol: "~", source: source, at: range)
        switch value {
        case .number(let x): return .number(UnaryOperation.logicalNot.apply(x))
        case .array(let x): return .array(~x)
        default: preconditionFailure("checkTruthValue refuses \(value.typeName)")
        }
    }

    static func negate(_ value: Value, source: String, at range: Range<Int>) throws(ExpressionError) -> Value {
        switch value {
        case .number(let x): return .number(-x)
        case .array(let x): return .array(-x)
        default: throw ExpressionError(.badArgument, "'-' cannot negate \(value.typeName)", in: source, at: range)
        }
    }
}
