/// How large an array the library builds: every operation that makes an array of a new shape or
/// chunking checks it against these first, and throws `BlockArrayError` past them.
///
/// A few characters of input can ask for any size (`ones(1e13)`), building an array does work
/// per block before anything runs (resolving chunks allocates an entry per block along each
/// axis), and counting elements overflows `Int` past 2^63.
public enum Limits {
    /// Elements of one array: 2^50 (8 PiB of Float64), far below where counts of elements or bytes
    /// overflow. An empty axis counts as one here, so the other axes' strides cannot overflow either.
    public static let maxElements = 1 << 50
    /// Blocks of one array: 2^20, so a million one-element blocks (the scheduler benchmark) still fit.
    public static let maxBlocks = 1 << 20
    /// Steps of one `diffuse` call. Each adds a layer to the graph, and layers are freed recursively:
    /// a chain of 100,000 overflowed the stack.
    public static let maxSteps = 10_000

    /// The product of `factors` (each ≥ 0) when it is at most `limit`, else nil; never overflows.
    package static func product(_ factors: [Int], atMost limit: Int) -> Int? {
        var result = 1
        for factor in factors {
            let (product, overflow) = result.multipliedReportingOverflow(by: factor)
            guard !overflow, product <= limit else { return nil }
            result = product
        }
        return result
    }

    /// The sum of `terms`, or nil where it overflows `Int`.
    package static func sum(_ terms: [Int]) -> Int? {
        var result = 0
        for term in terms {
            let (sum, overflow) = result.addingReportingOverflow(term)
            guard !overflow else { return nil }
            result = sum
        }
        return result
    }

    /// Throws unless `shape` (no extent negative) is within `maxElements`, empty axes counting as one.
    package static func checkElements(_ shape: [Int]) throws(BlockArrayError) {
        guard product(shape.map { Swift.max($0, 1) }, atMost: maxElements) != nil else {
            throw .tooManyElements(shape: shape)
        }
    }

    /// Throws unless `blockCounts`, the blocks per axis that `chunks` makes of `shape`, are at most
    /// `maxBlocks` in all.
    package static func checkBlocks(_ blockCounts: [Int], shape: [Int], chunks: ChunkSpec) throws(BlockArrayError) {
        guard product(blockCounts, atMost: maxBlocks) != nil else {
            throw .tooManyBlocks(shape: shape, chunks: chunks)
        }
    }

    /// Throws unless `steps` is in `0...maxSteps`.
    package static func checkSteps(_ steps: Int) throws(BlockArrayError) {
        guard (0...maxSteps).contains(steps) else { throw .invalidSteps(steps) }
    }
}
