/// Why an expression could not be built or a computation could not finish.
///
/// Every case names the offending values so the message alone says what was wrong.
public enum BlockArrayError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A shape with a negative extent.
    case invalidShape([Int])
    /// Chunks that do not fit the shape.
    case invalidChunks(shape: [Int], chunks: String, reason: String)
    /// An axis outside `-rank ..< rank`, or given twice.
    case invalidAxis(axis: Int, rank: Int)
    /// An operation given an array of the wrong rank.
    case invalidRank(operation: String, rank: Int, expected: String)
    /// Shapes that an operation cannot combine.
    case shapeMismatch(operation: String, [Int], [Int])
    /// Any other argument out of its domain.
    case invalidArgument(operation: String, message: String)
    /// A task's kernel produced a block of the wrong shape.
    case blockShapeMismatch(task: String, expected: [Int], got: [Int])
    /// An array of `shape` past `Limits.maxElements`; an extent past `Int.max` shows as `Int.max`.
    case tooManyElements(shape: [Int])
    /// An `arange` of more than `Limits.maxElements` elements.
    case rangeTooLong(start: Double, stop: Double, step: Double)
    /// An array of `shape` that `chunks` splits into more than `Limits.maxBlocks` blocks.
    case tooManyBlocks(shape: [Int], chunks: ChunkSpec)
    /// A step count outside `0...Limits.maxSteps`.
    case invalidSteps(Int)

    public var description: String {
        switch self {
        case .invalidShape(let shape):
            return "invalid shape \(shape): extents must be ≥ 0"
        case .invalidChunks(let shape, let chunks, let reason):
            return "invalid chunks \(chunks) for shape \(shape): \(reason)"
        case .invalidAxis(let axis, let rank):
            return "axis \(axis) is out of range for an array of rank \(rank)"
        case .invalidRank(let operation, let rank, let expected):
            return "\(operation) needs \(expected), got an array of rank \(rank)"
        case .shapeMismatch(let operation, let a, let b):
            return "\(operation): shapes \(a) and \(b) do not match"
        case .invalidArgument(let operation, let message):
            return "\(operation): \(message)"
        case .blockShapeMismatch(let task, let expected, let got):
            return "task \(task) returned a block of shape \(got), expected \(expected)"
        case .tooManyElements(let shape):
            return "shape \(shape) is past the limit of 2^50 elements"
        case .rangeTooLong(let start, let stop, let step):
            return "arange(\(start), \(stop), \(step)) has more than 2^50 elements"
        case .tooManyBlocks(let shape, let chunks):
            return "shape \(shape) in blocks of \(chunks) makes more than \(Limits.maxBlocks) blocks; use larger chunks"
        case .invalidSteps(let steps):
            return "steps must be between 0 and \(Limits.maxSteps), got \(steps)"
        }
    }
}
