import Foundation

/// A one-argument elementwise function; `isnan`, `isfinite` and `logical_not` give 1 for true and 0 for false.
public enum UnaryOperation: String, Sendable, Hashable, CaseIterable {
    case negate, abs, sqrt, exp, log, sin, cos, tan, tanh
    case isnan, isfinite
    /// 1 where the value is 0, else 0 (NaN counts as true, as in NumPy).
    case logicalNot = "logical_not"
}

/// A two-argument elementwise function; comparisons and the logical operations give 1 for true
/// and 0 for false, and take any non-zero value (NaN included) as true.
public enum BinaryOperation: String, Sendable, Hashable, CaseIterable {
    case add, subtract, multiply, divide, power, maximum, minimum
    /// NumPy's `mod` (Python's `%`): the remainder has the sign of the divisor.
    case mod
    case less, lessEqual, greater, greaterEqual, equal, notEqual
    case logicalAnd = "logical_and", logicalOr = "logical_or"
}

/// A tree of elementwise operations over input blocks and constants.
///
/// Chains of elementwise array operations are merged into one tree so each
/// block is produced by a single task in a single pass over memory.
package indirect enum ElementwiseExpression: Sendable, Hashable, CustomStringConvertible {
    case input(Int)
    case constant(Double)
    case unary(UnaryOperation, ElementwiseExpression)
    case binary(BinaryOperation, ElementwiseExpression, ElementwiseExpression)
    /// `where(condition, a, b)`: `a` where the condition is non-zero, else `b`.
    case select(ElementwiseExpression, ElementwiseExpression, ElementwiseExpression)

    /// Bit-exact text used in tokens.
    package var description: String {
        switch self {
        case .input(let i): return "$\(i)"
        case .constant(let v): return "c\(tokenText(v))"
        case .unary(let op, let a): return "\(op.rawValue)(\(a))"
        case .binary(let op, let a, let b): return "\(op.rawValue)(\(a),\(b))"
        case .select(let c, let a, let b): return "where(\(c),\(a),\(b))"
        }
    }

    /// The same tree with `.input(i)` replaced by `replacements[i]`.
    package func substituting(_ replacements: [ElementwiseExpression]) -> ElementwiseExpression {
        switch self {
        case .input(let i): return replacements[i]
        case .constant: return self
        case .unary(let op, let a): return .unary(op, a.substituting(replacements))
        case .binary(let op, let a, let b):
            return .binary(op, a.substituting(replacements), b.substituting(replacements))
        case .select(let c, let a, let b):
            return .select(c.substituting(replacements), a.substituting(replacements), b.substituting(replacements))
        }
    }

    /// Number of operation nodes (an estimate of flops per element).
    package var operationCount: Int {
        switch self {
        case .input, .constant: return 0
        case .unary(_, let a): return 1 + a.operationCount
        case .binary(_, let a, let b): return 1 + a.operationCount + b.operationCount
        case .select(let c, let a, let b): return 1 + c.operationCount + a.operationCount + b.operationCount
        }
    }
}

/// Scalar semantics of each operation, the reference for the vector loops.
extension UnaryOperation {
    @inline(__always)
    package func apply(_ x: Double) -> Double {
        switch self {
        case .negate: return -x
        case .abs: return Swift.abs(x)
        case .sqrt: return x.squareRoot()
        case .exp: return Foundation.exp(x)
        case .log: return Foundation.log(x)
        case .sin: return Foundation.sin(x)
        case .cos: return Foundation.cos(x)
        case .tan: return Foundation.tan(x)
        case .tanh: return Foundation.tanh(x)
        case .isnan: return x.isNaN ? 1 : 0
        case .isfinite: return x.isFinite ? 1 : 0
        case .logicalNot: return x == 0 ? 1 : 0
        }
    }
}

extension BinaryOperation {
    @inline(__always)
    package func apply(_ x: Double, _ y: Double) -> Double {
        switch self {
        case .add: return x + y
        case .subtract: return x - y
        case .multiply: return x * y
        case .divide: return x / y
        case .power: return Foundation.pow(x, y)
        // NumPy's maximum/minimum propagate NaN.
        case .maximum: return x.isNaN || y.isNaN ? .nan : Swift.max(x, y)
        case .minimum: return x.isNaN || y.isNaN ? .nan : Swift.min(x, y)
        case .less: return x < y ? 1 : 0
        case .lessEqual: return x <= y ? 1 : 0
        case .greater: return x > y ? 1 : 0
        case .greaterEqual: return x >= y ? 1 : 0
        case .equal: return x == y ? 1 : 0
        case .notEqual: return x != y ? 1 : 0
        case .mod: return floorRemainder(x, y)
        case .logicalAnd: return x != 0 && y != 0 ? 1 : 0
        case .logicalOr: return x != 0 || y != 0 ? 1 : 0
        }
    }
}

/// `x` modulo `y` as NumPy's `np.mod` computes it for floats: C's `fmod`, moved by one `y` when
/// its sign differs from the divisor's; a zero remainder takes the divisor's sign, and a zero
/// divisor gives NaN.
@inline(__always)
private func floorRemainder(_ x: Double, _ y: Double) -> Double {
    let remainder = Foundation.fmod(x, y)
    guard y != 0 else { return remainder }
    if remainder == 0 { return Double(signOf: y, magnitudeOf: 0) }
    return (y < 0) != (remainder < 0) ? remainder + y : remainder
}
