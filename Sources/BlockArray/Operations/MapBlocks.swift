import Foundation

/// Where a block sits in its array, as passed to `mapBlocks` closures.
public struct BlockInfo: Sendable, Hashable {
    /// Position in the block grid.
    public let index: [Int]
    /// Global coordinates of the block's first element.
    public let offset: [Int]
    public let shape: [Int]
}

/// How `mapOverlap` extends blocks at the edges of the array.
public enum Boundary: Sendable, Hashable, CustomStringConvertible {
    /// Wrap around to the other side.
    case periodic
    /// Mirror, including the edge element (NumPy's "symmetric" mode, dask's "reflect").
    case reflect
    /// Pad with a value.
    case constant(Double)
    /// Do not extend past the edge.
    case none

    public var description: String {
        switch self {
        case .periodic: return "periodic"
        case .reflect: return "reflect"
        case .constant(let value): return "constant(\(value))"
        case .none: return "none"
        }
    }
}

/// A user closure applied to every block.
public typealias BlockFunction = @Sendable (DenseArray, BlockInfo) throws -> DenseArray

extension BlockArray {
    /// Applies `body` to every block; it must return a block of the same shape.
    ///
    /// Closures cannot be compared, so give `name` to let two builds of the same
    /// expression share keys; without it each call gets a unique name.
    public func mapBlocks(name: String? = nil, flopsPerElement: Double = 1,
                          _ body: @escaping BlockFunction) -> BlockArray {
        let source = self
        let layerName = token("map_blocks", [name ?? UUID().uuidString, self.name])
        let operation = name.map { operationName(ofLayer: $0) } ?? "map_blocks"
        return BlockArray(name: layerName, chunks: chunks, layer: .tasks(inputs: [self]) {
            source.chunks.blockIndices.map { index in
                let info = BlockInfo(index: index, offset: source.chunks.blockOffset(index),
                                     shape: source.chunks.blockShape(index))
                let key = TaskKey(layerName, index)
                return GraphTask(key: key, dependencies: [source.key(index)], operation: operation,
                            flops: flopsPerElement * Double(elementCount(info.shape)), outputShape: info.shape) { blocks in
                    try checkedShape(try body(blocks[0], info), expected: info.shape, task: key)
                }
            }
        })
    }

    /// Applies a stencil: `body` gets each block extended by `depth[axis]`
    /// elements on both sides (taken from the neighbours, or made by `boundary`
    /// at the array's edges), returns an array of that extended shape, and the
    /// result is trimmed back to the block.
    public func mapOverlap(depth: [Int], boundary: Boundary, name: String? = nil, flopsPerElement: Double = 1,
                           _ body: @escaping @Sendable (DenseArray) throws -> DenseArray) throws -> BlockArray {
        guard depth.count == rank else {
            throw BlockArrayError.invalidArgument(operation: "mapOverlap", message: "depth \(depth) has \(depth.count) entries for rank \(rank)")
        }
        for (axis, d) in depth.enumerated() where d < 0 || (d > shape[axis] && (boundary == .periodic || boundary == .reflect)) {
            throw BlockArrayError.invalidArgument(operation: "mapOverlap", message: "depth \(d) on axis \(axis) must be between 0 and the axis extent \(shape[axis])")
        }
        // Without a boundary, a depth past the extent reads no more than the extent.
        let depth = boundary == .none ? zip(depth, shape).map { Swift.min($0, $1) } : depth
        // Each task allocates its extended block, so the largest one must be within `Limits` too.
        let largestExtended = zip(chunks.sizes, depth).enumerated().map { axis, pair in
            let extent = (pair.0.max() ?? 0) + 2 * Swift.min(pair.1, Limits.maxElements)
            return boundary == .none ? Swift.min(extent, shape[axis]) : extent
        }
        do { try Limits.checkElements(largestExtended) } catch {
            throw BlockArrayError.invalidArgument(operation: "mapOverlap", message: "depth \(depth) extends blocks past the limit of 2^50 elements")
        }
        let source = self
        let layerName = token("map_overlap", [name ?? UUID().uuidString, "\(depth)", boundary.description, self.name])
        let operation = name.map { operationName(ofLayer: $0) } ?? "map_overlap"
        return BlockArray(name: layerName, chunks: chunks, layer: .tasks(inputs: [self]) {
            source.chunks.blockIndices.map { index in
                overlapTask(TaskKey(layerName, index), operation, source, depth, boundary, flopsPerElement, body)
            }
        })
    }
}

private func checkedShape(_ block: DenseArray, expected: [Int], task: TaskKey) throws -> DenseArray {
    guard block.shape == expected else {
        throw BlockArrayError.blockShapeMismatch(task: task.description, expected: expected, got: block.shape)
    }
    return block
}

/// One block of a `mapOverlap`: gather the extended block from the neighbours, run, trim.
private func overlapTask(_ key: TaskKey, _ operation: String, _ source: BlockArray, _ depth: [Int], _ boundary: Boundary,
                         _ flopsPerElement: Double, _ body: @escaping @Sendable (DenseArray) throws -> DenseArray) -> GraphTask {
    let chunks = source.chunks, index = key.index, rank = index.count
    let offset = chunks.blockOffset(index), blockShape = chunks.blockShape(index)
    // Per axis, the global coordinate each extended position reads (nil = padding).
    let coordinates = (0..<rank).map { axis -> [Int?] in
        let n = source.shape[axis], d = depth[axis]
        var low = offset[axis] - d, high = offset[axis] + blockShape[axis] + d
        if boundary == .none { low = Swift.max(low, 0); high = Swift.min(high, n) }
        return (low..<high).map { g -> Int? in
            if g >= 0 && g < n { return g }
            switch boundary {
            case .periodic: return ((g % n) + n) % n
            case .reflect: return g < 0 ? -g - 1 : 2 * n - g - 1
            case .constant, .none: return nil
            }
        }
    }
    let before = (0..<rank).map { axis in
        boundary == .none ? Swift.min(depth[axis], offset[axis]) : depth[axis]
    }
    let extendedShape = coordinates.map(\.count)
    // The input blocks touched per axis; for each extended position, which of them
    // (its slot, -1 for padding) and where inside it.
    let touched = coordinates.enumerated().map { axis, list in
        Array(Set(list.compactMap { $0.map { chunks.blockContaining($0, axis: axis) } })).sorted()
    }
    let slots = coordinates.enumerated().map { axis, list in
        list.map { g in g.map { touched[axis].firstIndex(of: chunks.blockContaining($0, axis: axis))! } ?? -1 }
    }
    let locals = coordinates.enumerated().map { axis, list in
        list.map { g in g.map { $0 - chunks.offsets[axis][chunks.blockContaining($0, axis: axis)] } ?? 0 }
    }
    let dependencies = allIndices(touched.map(\.count)).map { local in zip(touched, local).map { $0[$1] } }
    // Along the last axis, runs of positions read consecutive elements of one block: copied at once.
    let innerRuns: [(start: Int, count: Int, slot: Int, local: Int)] = {
        guard let innerSlots = slots.last, let innerLocals = locals.last else { return [] }
        var runs: [(start: Int, count: Int, slot: Int, local: Int)] = []
        for j in innerSlots.indices where innerSlots[j] >= 0 {
            if let last = runs.last, last.start + last.count == j, last.slot == innerSlots[j],
               last.local + last.count == innerLocals[j] {
                runs[runs.count - 1].count += 1
            } else {
                runs.append((j, 1, innerSlots[j], innerLocals[j]))
            }
        }
        return runs
    }()
    let slotStrides = rowMajorStrides(touched.map(\.count))
    let padding: Double = { if case .constant(let value) = boundary { return value }; return 0 }()
    return GraphTask(key: key, dependencies: dependencies.map(source.key), operation: operation,
                flops: flopsPerElement * Double(elementCount(extendedShape)), outputShape: blockShape) { blocks in
        var extended = DenseArray(shape: extendedShape, repeating: padding)
        if rank == 0 || extendedShape.contains(0) {
            if rank == 0 { extended = blocks[0] }
        } else {
            let inner = rank - 1, width = extendedShape[inner]
            let blockStrides = blocks.map(\.strides)
            extended.storage.withUnsafeMutableBufferPointer { target in
                for (row, outer) in allIndices(Array(extendedShape.dropLast())).enumerated() {
                    // Slot and in-block offset of the outer coordinates; skip padded rows.
                    var slot = 0
                    var isPadding = false
                    for axis in 0..<inner {
                        let s = slots[axis][outer[axis]]
                        if s < 0 { isPadding = true; break }
                        slot += s * slotStrides[axis]
                    }
                    if isPadding { continue }
                    for run in innerRuns {
                        let b = slot + run.slot
                        var position = run.local
                        for axis in 0..<inner { position += locals[axis][outer[axis]] * blockStrides[b][axis] }
                        blocks[b].storage.withUnsafeBufferPointer { source in
                            (target.baseAddress! + row * width + run.start).update(from: source.baseAddress! + position, count: run.count)
                        }
                    }
                }
            }
        }
        let result = try checkedShape(try body(extended), expected: extendedShape, task: key)
        return result.sliced(start: before, step: before.map { _ in 1 }, count: blockShape)
    }
}
