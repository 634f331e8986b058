/// Creation routines: random, constant, ranges, identity, functions of the index, in-memory data.
extension BlockArray {
    /// A layer whose blocks depend only on where they sit in the array.
    ///
    /// `fill` receives a block's global offset and shape and returns its elements in row-major order.
    package static func source(
        _ operation: String, _ parameters: [String], shape: [Int], chunks spec: ChunkSpec,
        flopsPerElement: Double = 0,
        fill: @escaping @Sendable (_ offset: [Int], _ shape: [Int]) -> [Double]
    ) throws -> BlockArray {
        let chunks = try Chunks(shape: shape, spec: spec)
        let name = token(operation, parameters + ["\(shape)", tokenText(chunks.sizes)])
        let counts = chunks.blockCounts
        return BlockArray(name: name, chunks: chunks, layer: .taskSets(inputs: []) {
            [.grid(GridTasks(
                name: name, operation: operation, blockCounts: counts, inputs: [],
                flops: { flopsPerElement * Double(chunks.blockElementCount(at: $0)) },
                outputBytes: { chunks.blockElementCount(at: $0) * MemoryLayout<Double>.stride }
            ) { local, _ in
                let index = unravel(local, counts)
                let offset = chunks.blockOffset(index), blockShape = chunks.blockShape(index)
                return DenseArray(uncheckedShape: blockShape, storage: fill(offset, blockShape))
            })]
        })
    }

    /// An array whose blocks come from outside, such as a file: `read` fills a block's elements
    /// (row-major, all of them) given where the block sits, and may throw.
    ///
    /// Each block is read by its own task when a task needs it, and released when its readers are
    /// done, so an array larger than memory can be reduced. An error `read` throws fails that
    /// task, and so the run, naming the task's key and block (as `checkFinite` does). `identity`
    /// goes into the task keys: give what tells this source from any other (a file's path, size
    /// and modification time), since two arrays with the same operation, identity, shape and
    /// chunks are taken to be the same.
    public static func reading(
        _ operation: String, identity: [String], shape: [Int], chunks spec: ChunkSpec,
        read: @escaping @Sendable (_ block: BlockInfo, _ into: UnsafeMutableBufferPointer<Double>) throws -> Void
    ) throws -> BlockArray {
        let chunks = try Chunks(shape: shape, spec: spec)
        let name = token(operation, identity + ["\(shape)", "\(chunks.sizes)"])
        return BlockArray(name: name, chunks: chunks, layer: .tasks(inputs: []) {
            chunks.blockIndices.map { index in
                let info = BlockInfo(index: index, offset: chunks.blockOffset(index), shape: chunks.blockShape(index))
                let count = elementCount(info.shape)
                return GraphTask(key: TaskKey(name, index), dependencies: [], operation: operation,
                                 flops: 0, outputShape: info.shape) { _ in
                    let storage = try [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
                        try read(info, buffer)
                        initialized = count
                    }
                    return DenseArray(uncheckedShape: info.shape, storage: storage)
                }
            }
        })
    }

    /// Fills a block row by row with `generate(globalFlatStart, count, destination)`.
    private static func rowWise(
        globalShape: [Int], offset: [Int], shape: [Int],
        _ generate: (Int, Int, UnsafeMutablePointer<Double>) -> Void
    ) -> [Double] {
        let n = elementCount(shape)
        guard n > 0 else { return [] }
        if shape.isEmpty { return [Double](unsafeUninitializedCapacity: 1) { b, c in generate(0, 1, b.baseAddress!); c = 1 } }
        let globalStrides = rowMajorStrides(globalShape)
        let rowLength = shape[shape.count - 1]
        return [Double](unsafeUninitializedCapacity: n) { buffer, initialized in
            for (row, rowIndex) in allIndices(Array(shape.dropLast())).enumerated() {
                var start = offset[shape.count - 1]
                for axis in 0..<rowIndex.count { start += (offset[axis] + rowIndex[axis]) * globalStrides[axis] }
                generate(start, rowLength, buffer.baseAddress! + row * rowLength)
            }
            initialized = n
        }
    }

    /// Uniform values in [0, 1) from Philox4x32-10 keyed by `seed` and each element's global index:
    /// the same values for every chunking.
    public static func random(_ shape: [Int], chunks: ChunkSpec, seed: UInt64 = 0) throws -> BlockArray {
        let generator = Philox4x32(seed: seed)
        return try source("random", ["\(seed)"], shape: shape, chunks: chunks, flopsPerElement: 1) { offset, blockShape in
            rowWise(globalShape: shape, offset: offset, shape: blockShape) { generator.fillUniform(start: $0, count: $1, into: $2) }
        }
    }

    /// Normal values with `mean` and `standardDeviation`, chunking-independent like `random`.
    public static func normal(_ shape: [Int], chunks: ChunkSpec, seed: UInt64 = 0,
                              mean: Double = 0, standardDeviation: Double = 1) throws -> BlockArray {
        guard standardDeviation >= 0 else {
            throw BlockArrayError.invalidArgument(operation: "normal", message: "standard deviation \(standardDeviation) is negative")
        }
        let generator = Philox4x32(seed: seed)
        return try source("normal", ["\(seed)", tokenText(mean), tokenText(standardDeviation)],
                          shape: shape, chunks: chunks, flopsPerElement: 1) { offset, blockShape in
            var values = rowWise(globalShape: shape, offset: offset, shape: blockShape) {
                generator.fillNormal(start: $0, count: $1, into: $2)
            }
            if mean != 0 || standardDeviation != 1 {
                for i in values.indices { values[i] = mean + standardDeviation * values[i] }
            }
            return values
        }
    }

    /// Every element equal to `value`.
    public static func full(_ shape: [Int], _ value: Double, chunks: ChunkSpec) throws -> BlockArray {
        try source("full", [tokenText(value)], shape: shape, chunks: chunks) { _, blockShape in
            [Double](repeating: value, count: elementCount(blockShape))
        }
    }

    public static func ones(_ shape: [Int], chunks: ChunkSpec) throws -> BlockArray {
        try full(shape, 1, chunks: chunks)
    }

    public static func zeros(_ shape: [Int], chunks: ChunkSpec) throws -> BlockArray {
        try full(shape, 0, chunks: chunks)
    }

    /// `start, start + step, …` below `stop` (above, for a negative step), as NumPy's `arange`.
    public static func arange(_ start: Double, _ stop: Double, step: Double = 1, chunks: ChunkSpec) throws -> BlockArray {
        guard step != 0, step.isFinite, start.isFinite, stop.isFinite else {
            throw BlockArrayError.invalidArgument(operation: "arange", message: "start \(start), stop \(stop), step \(step) must be finite with a non-zero step")
        }
        let count = ((stop - start) / step).rounded(.up)
        guard count <= Double(Limits.maxElements) else {
            throw BlockArrayError.rangeTooLong(start: start, stop: stop, step: step)
        }
        let elements = Int(Swift.max(0, count))
        return try source("arange", [tokenText(start), tokenText(step)], shape: [elements], chunks: chunks) { offset, blockShape in
            (0..<blockShape[0]).map { start + Double(offset[0] + $0) * step }
        }
    }

    /// `count` evenly spaced values from `start` to `stop` (included unless `endpoint` is false).
    public static func linspace(_ start: Double, _ stop: Double, count: Int, endpoint: Bool = true,
                                chunks: ChunkSpec) throws -> BlockArray {
        guard count >= 0 else {
            throw BlockArrayError.invalidArgument(operation: "linspace", message: "count \(count) is negative")
        }
        let divisions = endpoint ? count - 1 : count
        let step = divisions > 0 ? (stop - start) / Double(divisions) : 0
        return try source("linspace", [tokenText(start), tokenText(stop), "\(endpoint)"],
                          shape: [count], chunks: chunks) { offset, blockShape in
            (0..<blockShape[0]).map { local in
                let i = offset[0] + local
                return endpoint && i == count - 1 && count > 1 ? stop : start + Double(i) * step
            }
        }
    }

    /// A `rows × columns` matrix with ones on diagonal `k` (0 main, > 0 above, < 0 below).
    public static func eye(_ rows: Int, columns: Int? = nil, k: Int = 0, chunks: ChunkSpec) throws -> BlockArray {
        let columns = columns ?? rows
        return try source("eye", ["\(k)"], shape: [rows, columns], chunks: chunks) { offset, blockShape in
            var values = [Double](repeating: 0, count: elementCount(blockShape))
            for r in 0..<blockShape[0] {
                let c = offset[0] + r + k - offset[1]
                if c >= 0 && c < blockShape[1] { values[r * blockShape[1] + c] = 1 }
            }
            return values
        }
    }

    /// Each element computed from its global multi-index by `function`.
    ///
    /// Closures cannot be compared, so `name` identifies the function in task keys:
    /// give the same name only to the same function.
    public static func fromFunction(_ shape: [Int], chunks: ChunkSpec, name: String,
                                    _ function: @escaping @Sendable ([Int]) -> Double) throws -> BlockArray {
        try source("fromfunction", [name], shape: shape, chunks: chunks, flopsPerElement: 1) { offset, blockShape in
            allIndices(blockShape).map { local in function(zip(offset, local).map(+)) }
        }
    }

    /// An in-memory array split into blocks.
    public static func fromArray(_ array: DenseArray, chunks: ChunkSpec) throws -> BlockArray {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for value in array.storage { hash = (hash ^ value.bitPattern) &* 0x0000_0100_0000_01b3 }
        return try source("array", [String(hash, radix: 16)], shape: array.shape, chunks: chunks) { offset, blockShape in
            array.sliced(start: offset, step: blockShape.map { _ in 1 }, count: blockShape).storage
        }
    }
}
