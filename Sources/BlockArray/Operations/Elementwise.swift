/// Elementwise arithmetic, math functions and comparisons with NumPy broadcasting.
extension BlockArray {
    /// An elementwise layer over `operands`, broadcast together and rechunked to common chunks.
    package static func elementwise(
        _ operation: String, _ expression: ElementwiseExpression, _ operands: [BlockArray]
    ) throws -> BlockArray {
        let shape = try broadcastShapes(operands.map(\.shape), operation: operation)
        let rank = shape.count
        // Per output axis, the chunks of the first operand that spans it.
        var sizes: [[Int]] = shape.map { [$0] }
        for axis in 0..<rank {
            if let owner = operands.first(where: { spans($0, axis: axis, of: shape) }) {
                sizes[axis] = owner.chunks.sizes[axis - (rank - owner.rank)]
            }
        }
        // Checked before aligning the operands, whose blocks are at most the result's.
        let chunks = try Chunks(derivedSizes: sizes)
        let aligned = try operands.map { operand -> BlockArray in
            let shift = rank - operand.rank
            var target = operand.chunks.sizes
            for axis in 0..<operand.rank where spans(operand, axis: axis + shift, of: shape) {
                target[axis] = sizes[axis + shift]
            }
            return target == operand.chunks.sizes ? operand : try operand.rechunk(.explicit(target))
        }
        let name = token(operation, [expression.description] + aligned.map(\.name))
        return BlockArray(name: name, chunks: chunks, layer: .elementwise(expression, inputs: aligned))
    }

    /// Whether `operand` covers output axis `axis` without broadcasting.
    private static func spans(_ operand: BlockArray, axis: Int, of shape: [Int]) -> Bool {
        let local = axis - (shape.count - operand.rank)
        return local >= 0 && operand.shape[local] == shape[axis]
    }

    /// `expression` applied to this array alone (cannot fail: nothing to broadcast).
    private func unaryLayer(_ operation: String, _ expression: ElementwiseExpression) -> BlockArray {
        let name = token(operation, [expression.description, self.name])
        return BlockArray(name: name, chunks: chunks, layer: .elementwise(expression, inputs: [self]))
    }

    /// Applies a one-argument function to every element.
    public func apply(_ operation: UnaryOperation) -> BlockArray {
        unaryLayer(operation.rawValue, .unary(operation, .input(0)))
    }

    /// Combines two arrays elementwise with broadcasting.
    public static func apply(_ operation: BinaryOperation, _ lhs: BlockArray, _ rhs: BlockArray) throws -> BlockArray {
        try elementwise(operation.rawValue, .binary(operation, .input(0), .input(1)), [lhs, rhs])
    }

    /// Combines every element with a scalar on the right.
    public func apply(_ operation: BinaryOperation, _ scalar: Double) -> BlockArray {
        unaryLayer(operation.rawValue, .binary(operation, .input(0), .constant(scalar)))
    }

    /// Combines a scalar on the left with every element.
    public func apply(_ operation: BinaryOperation, scalarOnLeft scalar: Double) -> BlockArray {
        unaryLayer(operation.rawValue, .binary(operation, .constant(scalar), .input(0)))
    }

    public static func + (l: BlockArray, r: BlockArray) throws -> BlockArray { try apply(.add, l, r) }
    public static func - (l: BlockArray, r: BlockArray) throws -> BlockArray { try apply(.subtract, l, r) }
    public static func * (l: BlockArray, r: BlockArray) throws -> BlockArray { try apply(.multiply, l, r) }
    public static func / (l: BlockArray, r: BlockArray) throws -> BlockArray { try apply(.divide, l, r) }
    public static func + (l: BlockArray, r: Double) -> BlockArray { l.apply(.add, r) }
    public static func - (l: BlockArray, r: Double) -> BlockArray { l.apply(.subtract, r) }
    public static func * (l: BlockArray, r: Double) -> BlockArray { l.apply(.multiply, r) }
    public static func / (l: BlockArray, r: Double) -> BlockArray { l.apply(.divide, r) }
    public static func + (l: Double, r: BlockArray) -> BlockArray { r.apply(.add, scalarOnLeft: l) }
    public static func - (l: Double, r: BlockArray) -> BlockArray { r.apply(.subtract, scalarOnLeft: l) }
    public static func * (l: Double, r: BlockArray) -> BlockArray { r.apply(.multiply, scalarOnLeft: l) }
    public static func / (l: Double, r: BlockArray) -> BlockArray { r.apply(.divide, scalarOnLeft: l) }
    public static prefix func - (x: BlockArray) -> BlockArray { x.apply(.negate) }
    /// NumPy's `mod`: the remainder has the sign of the divisor.
    public static func % (l: BlockArray, r: BlockArray) throws -> BlockArray { try apply(.mod, l, r) }
    public static func % (l: BlockArray, r: Double) -> BlockArray { l.apply(.mod, r) }
    public static func % (l: Double, r: BlockArray) -> BlockArray { r.apply(.mod, scalarOnLeft: l) }

    public static func .< (l: BlockArray, r: BlockArray) throws -> BlockArray { try apply(.less, l, r) }
    public static func .<= (l: BlockArray, r: BlockArray) throws -> BlockArray { try apply(.lessEqual, l, r) }
    public static func .> (l: BlockArray, r: BlockArray) throws -> BlockArray { try apply(.greater, l, r) }
    public static func .>= (l: BlockArray, r: BlockArray) throws -> BlockArray { try apply(.greaterEqual, l, r) }
    public static func .== (l: BlockArray, r: BlockArray) throws -> BlockArray { try apply(.equal, l, r) }
    public static func .!= (l: BlockArray, r: BlockArray) throws -> BlockArray { try apply(.notEqual, l, r) }
    public static func .< (l: BlockArray, r: Double) -> BlockArray { l.apply(.less, r) }
    public static func .<= (l: BlockArray, r: Double) -> BlockArray { l.apply(.lessEqual, r) }
    public static func .> (l: BlockArray, r: Double) -> BlockArray { l.apply(.greater, r) }
    public static func .>= (l: BlockArray, r: Double) -> BlockArray { l.apply(.greaterEqual, r) }
    public static func .== (l: BlockArray, r: Double) -> BlockArray { l.apply(.equal, r) }
    public static func .!= (l: BlockArray, r: Double) -> BlockArray { l.apply(.notEqual, r) }

    public func abs() -> BlockArray { apply(.abs) }
    public func sqrt() -> BlockArray { apply(.sqrt) }
    public func exp() -> BlockArray { apply(.exp) }
    public func log() -> BlockArray { apply(.log) }
    public func sin() -> BlockArray { apply(.sin) }
    public func cos() -> BlockArray { apply(.cos) }
    public func tan() -> BlockArray { apply(.tan) }
    public func tanh() -> BlockArray { apply(.tanh) }

    /// Every element raised to `exponent`.
    public func power(_ exponent: Double) -> BlockArray { apply(.power, exponent) }
    /// Every element raised to the matching element of `exponent`.
    public func power(_ exponent: BlockArray) throws -> BlockArray { try BlockArray.apply(.power, self, exponent) }
    /// Larger of each pair (NaN if either is NaN).
    public func maximum(_ other: BlockArray) throws -> BlockArray { try BlockArray.apply(.maximum, self, other) }
    public func maximum(_ other: Double) -> BlockArray { apply(.maximum, other) }
    /// Smaller of each pair (NaN if either is NaN).
    public func minimum(_ other: BlockArray) throws -> BlockArray { try BlockArray.apply(.minimum, self, other) }
    public func minimum(_ other: Double) -> BlockArray { apply(.minimum, other) }

    /// Elements limited to `[lower, upper]`, as NumPy's `clip`: `minimum(maximum(x, lower), upper)`.
    public func clip(_ lower: Double, _ upper: Double) -> BlockArray {
        unaryLayer("clip", .binary(.minimum, .binary(.maximum, .input(0), .constant(lower)), .constant(upper)))
    }

    /// `a` where `condition` is non-zero, else `b`, broadcasting all three.
    public static func `where`(_ condition: BlockArray, _ a: BlockArray, _ b: BlockArray) throws -> BlockArray {
        try elementwise("where", .select(.input(0), .input(1), .input(2)), [condition, a, b])
    }

    /// `a` where `condition` is non-zero, else `b`.
    public static func `where`(_ condition: BlockArray, _ a: Double, _ b: Double) -> BlockArray {
        condition.unaryLayer("where", .select(.input(0), .constant(a), .constant(b)))
    }
}

/// One task per output block: broadcast the inputs' blocks and run the compiled expression.
/// `mergedLayers` is how many elementwise layers the expression stands for.
package func elementwiseTasks(_ array: BlockArray, _ expression: ElementwiseExpression,
                              _ inputs: [BlockArray], mergedLayers: Int) -> GridTasks {
    let program = ElementwiseProgram(expression, inputCount: inputs.count)
    let flopsPerElement = Double(max(1, expression.operationCount))
    let rank = array.rank
    let chunks = array.chunks
    let counts = chunks.blockCounts
    // Several layers merged into one expression are one elementwise operation.
    let operation = mergedLayers > 1 ? "elementwise" : operationName(ofLayer: array.name)
    // Where each input's block sits for a task: the same position, or broadcast (an input axis
    // of extent 1 is read at block 0; missing leading axes are dropped).
    let sameBlock = inputs.allSatisfy { input in
        input.chunks.blockCounts == counts && input.rank == rank && !input.shape.contains(1)
    }
    let maps = inputs.map { input -> (shift: Int, counts: [Int], broadcast: [Bool]) in
        (rank - input.rank, input.chunks.blockCounts, (0..<input.rank).map { input.shape[$0] == 1 })
    }
    let broadcastReads: GridTasks.Reads = { local, visit in
        for slot in maps.indices {
            let map = maps[slot]
            var rest = local, position = 0, stride = 1
            var axis = rank - 1
            while axis >= 0 {
                let index = rest % counts[axis]
                rest /= counts[axis]
                let inputAxis = axis - map.shift
                if inputAxis >= 0 {
                    if !map.broadcast[inputAxis] { position += index * stride }
                    stride *= map.counts[inputAxis]
                }
                axis -= 1
            }
            visit(slot, position)
        }
    }
    let reads: GridTasks.Reads? = sameBlock ? nil : broadcastReads
    return GridTasks(
        name: array.name, operation: operation, blockCounts: counts, fusedCount: mergedLayers,
        inputs: inputs.map { GridTasks.Input($0) }, reads: reads,
        flops: { flopsPerElement * Double(chunks.blockElementCount(at: $0)) },
        outputBytes: { chunks.blockElementCount(at: $0) * MemoryLayout<Double>.stride }
    ) { local, blocks in
        let blockShape = chunks.blockShape(at: local)
        let n = elementCount(blockShape)
        if n == 0 { return DenseArray(uncheckedShape: blockShape, storage: []) }
        let operands = blocks.map { $0.shape == blockShape ? $0 : $0.broadcast(to: blockShape) }
        let storage = [Double](unsafeUninitializedCapacity: n) { buffer, initialized in
            withPointers(operands) { pointers in
                program.evaluate(inputs: pointers, count: n, into: buffer.baseAddress!)
            }
            initialized = n
        }
        return DenseArray(uncheckedShape: blockShape, storage: storage)
    }
}

/// Calls `body` with stable base pointers to each array's storage.
package func withPointers<R>(_ arrays: [DenseArray], _ body: ([UnsafePointer<Double>]) -> R) -> R {
    var pointers: [UnsafePointer<Double>] = []
    pointers.reserveCapacity(arrays.count)
    func nest(_ i: Int) -> R {
        if i == arrays.count { return body(pointers) }
        return arrays[i].storage.withUnsafeBufferPointer { buffer in
            pointers.append(buffer.baseAddress ?? UnsafePointer(bitPattern: MemoryLayout<Double>.alignment)!)
            return nest(i + 1)
        }
    }
    return nest(0)
}
