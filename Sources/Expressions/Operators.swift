import BlockArray

/// Arithmetic, comparison and `@` between values: numbers fold to numbers,
/// anything with an array builds an elementwise (or matmul) layer.
enum Operators {
    static let binaryOperations: [String: BinaryOperation] = [
        "+": .add, "-": .subtract, "*": .multiply, "/": .divide, "**": .power,
        "<": .less, "<=": .lessEqual, ">": .greater, ">=": .greaterEqual, "==": .equal, "!=": .notEqual,
    ]

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

    static func negate(_ value: Value, source: String, at range: Range<Int>) throws(ExpressionError) -> Value {
        switch value {
        case .number(let x): return .number(-x)
        case .array(let x): return .array(-x)
        default: throw ExpressionError(.badArgument, "'-' cannot negate \(value.typeName)", in: source, at: range)
        }
    }
}
