/// Structural operations: transpose, rechunk, slicing, inserting and removing axes,
/// concatenate and stack. None of them computes; they move elements between blocks.
extension BlockArray {
    /// Axes permuted: axis `i` of the result is axis `axes[i]` of this array (reversed when nil).
    public func transpose(_ axes: [Int]? = nil) throws -> BlockArray {
        let permutation = axes ?? Array((0..<rank).reversed())
        guard permutation.count == rank else {
            throw BlockArrayError.invalidArgument(operation: "transpose", message: "axes \(permutation) do not match rank \(rank)")
        }
        let resolved = try permutation.map { try normalizeAxes([$0], rank: rank)[0] }
        guard Set(resolved).count == rank else {
            throw BlockArrayError.invalidArgument(operation: "transpose", message: "axes \(permutation) repeat an axis")
        }
        if resolved == Array(0..<rank) { return self }
        let chunks = Chunks(validSizes: resolved.map { self.chunks.sizes[$0] })
        return BlockArray(name: token("transpose", ["\(resolved)", name]), chunks: chunks,
                          layer: .transpose(self, axes: resolved))
    }

    /// The transpose with all axes reversed (NumPy's `.T`).
    public var T: BlockArray {
        // Reversing every axis is always a valid permutation.
        try! transpose()
    }

    /// The same array split into different blocks.
    public func rechunk(_ spec: ChunkSpec) throws -> BlockArray {
        let target = try Chunks(shape: shape, spec: spec)
        if target == chunks { return self }
        let source = self, name = token("rechunk", [tokenText(target.sizes), self.name])
        return BlockArray(name: name, chunks: target, layer: .tasks(inputs: [self]) {
            target.blockIndices.map { index in rechunkTask(name, index, target, source) }
        })
    }

    /// Selects along each axis; axes beyond `indices` are kept whole. An integer index drops its
    /// axis; `newAxis` adds one of extent 1 (one block) where it stands, as NumPy's `None`.
    public func slice(_ indices: [AxisIndex]) throws -> BlockArray {
        let indexedAxes = indices.filter { $0 != .newAxis }.count
        guard indexedAxes <= rank else {
            throw BlockArrayError.invalidArgument(operation: "slice", message: "\(indexedAxes) indices for an array of rank \(rank)")
        }
        var selections: [StridedRange] = []
        var dropped: [Int] = []
        // Positions of the new axes in the result.
        var newAxes: [Int] = []
        var axis = 0, resultAxis = 0
        for index in indices + Array(repeating: AxisIndex.all, count: rank - indexedAxes) {
            switch index {
            case .newAxis:
                newAxes.append(resultAxis)
                resultAxis += 1
            case .index(let position):
                let resolved = position < 0 ? position + shape[axis] : position
                guard resolved >= 0 && resolved < shape[axis] else {
                    throw BlockArrayError.invalidArgument(operation: "index", message: "index \(position) is out of bounds for axis \(axis) with size \(shape[axis])")
                }
                selections.append(StridedRange(start: resolved, step: 1, count: 1))
                dropped.append(axis)
                axis += 1
            case .slice(let start, let stop, let step):
                selections.append(try StridedRange(start: start, stop: stop, step: step, extent: shape[axis]))
                axis += 1
                resultAxis += 1
            }
        }
        var result = try selecting(selections)
        for axis in dropped.reversed() { result = result.removingAxis(axis) }
        for axis in newAxes { result = result.insertingAxis(axis) }
        return result
    }

    private func selecting(_ selections: [StridedRange]) throws -> BlockArray {
        if selections.enumerated().allSatisfy({ $1 == StridedRange(start: 0, step: 1, count: shape[$0]) }) { return self }
        let outShape = selections.map(\.count)
        if outShape.contains(0) { return try BlockArray.zeros(outShape, chunks: .uniform(-1)) }
        // Per axis, the pieces of the selection that fall in each input block.
        let pieces = selections.enumerated().map { axis, selection in selection.pieces(in: chunks, axis: axis) }
        let target = Chunks(validSizes: pieces.map { $0.map(\.count) })
        let source = self
        let name = token("getitem", [selections.map(\.description).joined(separator: ","), self.name])
        return BlockArray(name: name, chunks: target, layer: .tasks(inputs: [self]) {
            target.blockIndices.map { index in
                let parts = zip(pieces, index).map { $0[$1] }
                let blockShape = parts.map(\.count)
                return GraphTask(key: TaskKey(name, index), dependencies: [source.key(parts.map(\.block))], operation: "getitem",
                            flops: 0, outputShape: blockShape) { blocks in
                    blocks[0].sliced(start: parts.map(\.localStart), step: parts.map(\.step), count: blockShape)
                }
            }
        })
    }

    /// A new axis of extent 1 at `axis` (0...rank).
    package func insertingAxis(_ axis: Int) -> BlockArray {
        var sizes = chunks.sizes
        sizes.insert([1], at: axis)
        return reshapingBlocks("expand_dims", axis, Chunks(validSizes: sizes)) { index in
            var source = index
            source.remove(at: axis)
            return source
        }
    }

    /// Removes `axis`, which must have extent 1.
    package func removingAxis(_ axis: Int) -> BlockArray {
        precondition(shape[axis] == 1, "cannot remove axis \(axis) of extent \(shape[axis])")
        var sizes = chunks.sizes
        sizes.remove(at: axis)
        return reshapingBlocks("squeeze", axis, Chunks(validSizes: sizes)) { index in
            var source = index
            source.insert(0, at: axis)
            return source
        }
    }

    /// One task per block reshaping it to `target`'s block shape; blocks map one to one.
    private func reshapingBlocks(_ operation: String, _ axis: Int, _ target: Chunks,
                                 sourceIndex: @escaping @Sendable ([Int]) -> [Int]) -> BlockArray {
        let source = self, name = token(operation, ["\(axis)", self.name])
        return BlockArray(name: name, chunks: target, layer: .tasks(inputs: [self]) {
            target.blockIndices.map { index in
                let blockShape = target.blockShape(index)
                return GraphTask(key: TaskKey(name, index), dependencies: [source.key(sourceIndex(index))], operation: operation,
                            flops: 0, outputShape: blockShape) { blocks in blocks[0].reshaped(blockShape) }
            }
        })
    }

    /// Arrays joined along an existing axis; other extents must match.
    public static func concatenate(_ arrays: [BlockArray], axis: Int = 0) throws -> BlockArray {
        guard let first = arrays.first else {
            throw BlockArrayError.invalidArgument(operation: "concatenate", message: "needs at least one array")
        }
        let axis = try normalizeAxes([axis], rank: first.rank)[0]
        for array in arrays.dropFirst() {
            var a = first.shape, b = array.shape
            guard a.count == b.count else {
                throw BlockArrayError.shapeMismatch(operation: "concatenate", first.shape, array.shape)
            }
            a[axis] = 0
            b[axis] = 0
            guard a == b else { throw BlockArrayError.shapeMismatch(operation: "concatenate", first.shape, array.shape) }
        }
        // Empty pieces add no elements and would leave empty blocks on a non-empty axis.
        let pieces = arrays.filter { $0.shape[axis] > 0 }
        if pieces.count <= 1 { return pieces.first ?? first }
        var sizes = first.chunks.sizes
        sizes[axis] = pieces.flatMap { $0.chunks.sizes[axis] }
        // Checked before rechunking the pieces, whose blocks are at most the result's.
        let target = try Chunks(derivedSizes: sizes)
        let parts = try pieces.map { array -> BlockArray in
            var sizes = first.chunks.sizes
            sizes[axis] = array.chunks.sizes[axis]
            return try array.rechunk(.explicit(sizes))
        }
        // Along `axis`, output block j comes from part owner[j] at block local[j].
        let owner = parts.enumerated().flatMap { k, part in Array(repeating: k, count: part.chunks.blockCounts[axis]) }
        let local = parts.flatMap { Array(0..<$0.chunks.blockCounts[axis]) }
        let name = token("concatenate", ["\(axis)"] + parts.map(\.name))
        return BlockArray(name: name, chunks: target, layer: .tasks(inputs: parts) {
            target.blockIndices.map { index in
                var sourceIndex = index
                sourceIndex[axis] = local[index[axis]]
                return GraphTask(key: TaskKey(name, index), dependencies: [parts[owner[index[axis]]].key(sourceIndex)], operation: "concatenate",
                            flops: 0, outputShape: target.blockShape(index)) { $0[0] }
            }
        })
    }

    /// Arrays of one shape joined along a new axis at `axis` (0...rank).
    public static func stack(_ arrays: [BlockArray], axis: Int = 0) throws -> BlockArray {
        guard let first = arrays.first else {
            throw BlockArrayError.invalidArgument(operation: "stack", message: "needs at least one array")
        }
        let resolved = axis < 0 ? axis + first.rank + 1 : axis
        guard resolved >= 0 && resolved <= first.rank else {
            throw BlockArrayError.invalidAxis(axis: axis, rank: first.rank + 1)
        }
        for array in arrays where array.shape != first.shape {
            throw BlockArrayError.shapeMismatch(operation: "stack", first.shape, array.shape)
        }
        return try concatenate(arrays.map { $0.insertingAxis(resolved) }, axis: resolved)
    }
}

/// One axis of a selection: a slice with Python's defaults and negative indices, or one position;
/// or a new axis of extent 1 (NumPy's `None`, `np.newaxis`), which selects no axis of the array.
public enum AxisIndex: Sendable, Hashable {
    case slice(start: Int?, stop: Int?, step: Int?)
    case index(Int)
    case newAxis

    /// The whole axis (`:`).
    public static let all = AxisIndex.slice(start: nil, stop: nil, step: nil)
}

/// Positions `start + i * step` for `i < count` along one axis.
package struct StridedRange: Hashable, Sendable, CustomStringConvertible {
    let start: Int, step: Int, count: Int

    init(start: Int, step: Int, count: Int) {
        self.start = start
        self.step = step
        self.count = count
    }

    /// Resolves a Python slice against an axis of `extent` (as `slice.indices`).
    init(start: Int?, stop: Int?, step: Int?, extent: Int) throws {
        let step = step ?? 1
        guard step != 0 else {
            throw BlockArrayError.invalidArgument(operation: "slice", message: "slice step cannot be zero")
        }
        func resolve(_ value: Int?, _ fallback: Int, _ low: Int, _ high: Int) -> Int {
            guard var value else { return fallback }
            if value < 0 { value += extent }
            return min(max(value, low), high)
        }
        // Counted as 1 + the whole steps after the first, so no step (even Int.min) overflows.
        if step > 0 {
            let first = resolve(start, 0, 0, extent), end = resolve(stop, extent, 0, extent)
            self.init(start: first, step: step, count: end > first ? (end - first - 1) / step + 1 : 0)
        } else {
            let first = resolve(start, extent - 1, -1, extent - 1), end = resolve(stop, -1, -1, extent - 1)
            self.init(start: first, step: step, count: first > end ? (end - first + 1) / step + 1 : 0)
        }
    }

    package var description: String { "\(start):\(step):\(count)" }

    /// A run of the selection inside one input block.
    struct Piece: Sendable {
        let block: Int, localStart: Int, step: Int, count: Int
    }

    /// The selection split by the input blocks along `axis`, in selection order.
    func pieces(in chunks: Chunks, axis: Int) -> [Piece] {
        var result: [Piece] = []
        var i = 0
        while i < count {
            let position = start + i * step
            let block = chunks.blockContaining(position, axis: axis)
            let low = chunks.offsets[axis][block], high = low + chunks.sizes[axis][block]
            // Positions stay in the block while they are inside [low, high).
            let remaining = step > 0 ? (high - 1 - position) / step : (low - position) / step
            let n = min(count - i, remaining + 1)
            result.append(Piece(block: block, localStart: position - low, step: step, count: n))
            i += n
        }
        return result
    }
}

/// One output block of a rechunk, pasted together from the input blocks it overlaps.
private func rechunkTask(_ name: String, _ index: [Int], _ target: Chunks, _ source: BlockArray) -> GraphTask {
    let offset = target.blockOffset(index), blockShape = target.blockShape(index)
    let ranges = (0..<index.count).map { axis -> ClosedRange<Int> in
        let first = source.chunks.blockContaining(offset[axis], axis: axis)
        let last = source.chunks.blockContaining(offset[axis] + max(blockShape[axis], 1) - 1, axis: axis)
        return first...last
    }
    let sourceIndices = allIndices(ranges.map(\.count)).map { local in zip(ranges, local).map { $0.lowerBound + $1 } }
    return GraphTask(key: TaskKey(name, index), dependencies: sourceIndices.map(source.key), operation: "rechunk",
                flops: 0, outputShape: blockShape) { blocks in
        if blocks.count == 1 && blocks[0].shape == blockShape { return blocks[0] }
        var result = DenseArray(shape: blockShape, repeating: 0)
        for (block, sourceIndex) in zip(blocks, sourceIndices) {
            let sourceOffset = source.chunks.blockOffset(sourceIndex)
            let low = (0..<index.count).map { max(offset[$0], sourceOffset[$0]) }
            let high = (0..<index.count).map { min(offset[$0] + blockShape[$0], sourceOffset[$0] + block.shape[$0]) }
            result.paste(block, region: zip(low, sourceOffset).map(-), extent: zip(high, low).map(-),
                         at: zip(low, offset).map(-))
        }
        return result
    }
}

/// One task per block of a transposed array: the source block, transposed.
package func transposeTasks(_ array: BlockArray, _ source: BlockArray, _ axes: [Int]) -> [GraphTask] {
    array.chunks.blockIndices.map { index in
        var sourceIndex = index
        for (i, axis) in axes.enumerated() { sourceIndex[axis] = index[i] }
        return GraphTask(key: array.key(index), dependencies: [source.key(sourceIndex)], operation: "transpose", flops: 0,
                    outputShape: array.chunks.blockShape(index)) { $0[0].transposed(axes) }
    }
}
