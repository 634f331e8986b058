/// Building the graph of an array and running it.
extension BlockArray {
    /// The optimized task graph that computes this array.
    public func graph(options: OptimizationOptions = OptimizationOptions()) -> TaskGraph {
        Optimizer.graph(for: self, options: options)
    }

    /// Runs the graph on `executor` and assembles the blocks into one dense array.
    public func compute(using executor: any GraphExecutor = SerialExecutor(),
                        options: OptimizationOptions = OptimizationOptions()) throws -> DenseArray {
        let graph = graph(options: options)
        let result = try executor.execute(graph)
        return assemble(result.outputs, chunks: graph.outputChunks)
    }

    /// The single value of a one-element array (a full reduction, say).
    public func computeScalar(using executor: any GraphExecutor = SerialExecutor()) throws -> Double {
        guard count == 1 else {
            throw BlockArrayError.invalidArgument(operation: "computeScalar", message: "array of shape \(shape) is not a scalar")
        }
        return try compute(using: executor).storage[0]
    }
}

/// Pastes blocks (row-major block order) into one dense array of the chunks' shape.
package func assemble(_ blocks: [DenseArray], chunks: Chunks) -> DenseArray {
    if blocks.count == 1 { return blocks[0] }
    var result = DenseArray(shape: chunks.shape, repeating: 0)
    for (block, index) in zip(blocks, chunks.blockIndices) {
        result.paste(block, at: chunks.blockOffset(index))
    }
    return result
}
