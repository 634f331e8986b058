/// Reshaping as dask does it: rechunk so that every output block is one input block reshaped,
/// then reshape block by block.
extension BlockArray {
    /// The same elements in row-major order under `newShape`, where one extent may be -1 (worked
    /// out from the others), as NumPy's `reshape`.
    ///
    /// The blocks follow dask's `reshape_rechunk`, walking the axes from the last: an axis of the
    /// same extent keeps its blocks; input axes that merge into one output axis are made whole
    /// except the first, whose blocks set the output's; an input axis that splits into several
    /// output axes gets blocks that are multiples of the trailing output axes (made whole), and
    /// sets the first one's. A reshape that does neither, such as (6, 4) to (4, 6), throws unless
    /// the array is one block (dask refuses it too); reshaping to one axis first, then to the
    /// shape, does it.
    public func reshape(_ newShape: [Int]) throws -> BlockArray {
        let target = try resolvedReshape(newShape)
        if target == shape { return self }
        if count == 0 { return try BlockArray.zeros(target, chunks: .uniform(-1)) }
        let (inputSizes, outputSizes): ([[Int]], [[Int]])
        if chunks.blockCount == 1 {
            (inputSizes, outputSizes) = (chunks.sizes, target.map { [$0] })
        } else {
            (inputSizes, outputSizes) = try reshapeBlocks(to: target)
        }
        let source = try rechunk(.explicit(inputSizes))
        let outputChunks = Chunks(validSizes: outputSizes)
        let counts = outputChunks.blockCounts
        let name = token("reshape", ["\(target)", source.name])
        return BlockArray(name: name, chunks: outputChunks, layer: .taskSets(inputs: [source]) {
            // Both grids hold the same blocks in the same row-major order: task `local` reads block `local`.
            [.grid(GridTasks(
                name: name, operation: "reshape", blockCounts: counts, inputs: [GridTasks.Input(source)],
                flops: { _ in 0 }, outputBytes: { outputChunks.blockElementCount(at: $0) * MemoryLayout<Double>.stride }
            ) { local, blocks in blocks[0].reshaped(outputChunks.blockShape(unravel(local, counts))) })]
        })
    }

    /// `requested` with its -1 worked out; throws unless it holds exactly this array's elements.
    private func resolvedReshape(_ requested: [Int]) throws -> [Int] {
        func fail(_ message: String) -> BlockArrayError { .invalidArgument(operation: "reshape", message: message) }
        let unknown = requested.indices.filter { requested[$0] == -1 }
        guard unknown.count <= 1 else { throw fail("shape \(requested) can have only one -1") }
        guard requested.allSatisfy({ $0 >= -1 }) else { throw fail("shape \(requested) has a negative extent") }
        var resolved = requested
        let known = requested.filter { $0 != -1 }
        if let axis = unknown.first {
            guard let product = Limits.product(known, atMost: Limits.maxElements), product > 0, count % product == 0 else {
                throw fail("cannot reshape an array of shape \(shape) (\(count) elements) into shape \(requested)")
            }
            resolved[axis] = count / product
        }
        guard Limits.product(resolved, atMost: Limits.maxElements) == count else {
            throw fail("cannot reshape an array of shape \(shape) (\(count) elements) into shape \(requested)")
        }
        return resolved
    }

    /// The blocks to rechunk to and the output's blocks, as dask's `reshape_rechunk` (see `reshape`).
    private func reshapeBlocks(to target: [Int]) throws -> (input: [[Int]], output: [[Int]]) {
        var inputSizes = chunks.sizes
        var outputSizes = target.map { [$0] }
        var i = rank - 1, o = target.count - 1
        let refusal = BlockArrayError.invalidArgument(
            operation: "reshape",
            message: "cannot reshape \(shape) into \(target) block by block: its axes neither merge nor split into the new ones; "
                + "reshape to one axis first, as reshape(-1).reshape(\(target))")
        // Every extent is ≥ 1 here (an empty array returned above), and a run of them multiplies to
        // at most the element count.
        while i >= 0 || o >= 0 {
            let inExtent = i >= 0 ? shape[i] : 1, outExtent = o >= 0 ? target[o] : 1
            if i >= 0 && o >= 0 && inExtent == outExtent {
                outputSizes[o] = inputSizes[i]
                i -= 1
                o -= 1
            } else if i >= 0 && inExtent == 1 {
                inputSizes[i] = [1]
                i -= 1
            } else if o >= 0 && outExtent == 1 {
                o -= 1
            } else if i >= 0 && o >= 0 && inExtent < outExtent {
                // Input axes first...i merge into output axis o.
                var first = i, product = inExtent
                while product < outExtent && first > 0 {
                    first -= 1
                    product *= shape[first]
                }
                guard product == outExtent else { throw refusal }
                for axis in (first + 1)...i { inputSizes[axis] = [shape[axis]] }
                let trailing = product / shape[first]
                outputSizes[o] = inputSizes[first].map { $0 * trailing }
                i = first - 1
                o -= 1
            } else if i >= 0 && o >= 0 {
                // Input axis i splits into output axes first...o.
                var first = o, product = outExtent
                while product < inExtent && first > 0 {
                    first -= 1
                    product *= target[first]
                }
                guard product == inExtent else { throw refusal }
                let trailing = product / target[first]
                inputSizes[i] = multiples(of: trailing, inputSizes[i])
                for axis in (first + 1)...o { outputSizes[axis] = [target[axis]] }
                outputSizes[first] = inputSizes[i].map { $0 / trailing }
                i -= 1
                o = first - 1
            } else {
                throw refusal
            }
        }
        return (inputSizes, outputSizes)
    }
}

/// `sizes`, which add up to a multiple of `factor`, as blocks that are each a multiple of it:
/// what is left of each block over a multiple moves into the next (dask's `contract_tuple`).
private func multiples(of factor: Int, _ sizes: [Int]) -> [Int] {
    var result: [Int] = []
    var carried = 0
    for size in sizes {
        let total = size + carried
        carried = total % factor
        if total - carried > 0 { result.append(total - carried) }
    }
    return result
}
