/// A lazy, chunked n-dimensional Float64 array: the dask.array of blocktop.
///
/// Every operation returns a new `BlockArray` that records how its blocks are
/// made from its inputs' blocks; nothing runs until `compute()`. The `name` is a
/// deterministic token of the operation and its inputs, so building the same
/// expression twice gives the same task keys, and a shared subexpression is
/// computed once.
public final class BlockArray: Sendable, CustomStringConvertible {
    public let name: String
    public let shape: [Int]
    public let chunks: Chunks
    package let layer: Layer

    package init(name: String, chunks: Chunks, layer: Layer) {
        self.name = name
        self.shape = chunks.shape
        self.chunks = chunks
        self.layer = layer
    }

    public var rank: Int { shape.count }
    /// Number of elements.
    public var count: Int { elementCount(shape) }
    /// Bytes of the dense result.
    public var byteCount: Int { count * MemoryLayout<Double>.stride }

    /// The key of this array's block at `index`.
    public func key(_ index: [Int]) -> TaskKey { TaskKey(name, index) }

    public var description: String {
        "BlockArray(\(name), shape: \(shape), chunks: \(chunks))"
    }
}

/// How a lazy array's blocks are made from its inputs.
package enum Layer: Sendable {
    /// An elementwise expression of `inputs` (broadcast to this array's shape);
    /// the optimizer merges chains of these into one task per block.
    case elementwise(ElementwiseExpression, inputs: [BlockArray])
    /// `source` with its axes permuted; matmul folds a 2-D transpose into its BLAS call.
    case transpose(BlockArray, axes: [Int])
    /// Any other operation: explicit tasks reading `inputs`' keys (and keys of its own intermediates).
    case tasks(inputs: [BlockArray], make: @Sendable () -> [GraphTask])
    /// Like `tasks`, with some of them described a grid at a time (`GridTasks`): no closure or key per task.
    case taskSets(inputs: [BlockArray], make: @Sendable () -> [TaskSet])

    package var inputs: [BlockArray] {
        switch self {
        case .elementwise(_, let inputs): return inputs
        case .transpose(let source, _): return [source]
        case .tasks(let inputs, _): return inputs
        case .taskSets(let inputs, _): return inputs
        }
    }
}
