import BlockArray

/// What an expression evaluates to.
public enum Value: Sendable {
    case number(Double)
    case array(BlockArray)
    /// A tuple `(a, b)` or list `[a, b]`.
    case sequence([Value])
    case string(String)
    case none

    /// A short name of the value's type for messages.
    var typeName: String {
        switch self {
        case .number: return "a number"
        case .array: return "an array"
        case .sequence: return "a sequence"
        case .string: return "a string"
        case .none: return "None"
        }
    }
}
