import BlockArray

/// Stencil functions built on `mapOverlap`: the discrete Laplacian and explicit diffusion steps.
enum Stencils {
    static let table: [String: Builtin] = [
        "laplacian": Builtin(parameters: ["x", "boundary"], required: 1) { (a) throws(ExpressionError) in
            let x = try a.array("x"), boundary = try a.boundary()
            return .array(try a.library { try step(x, rate: nil, boundary: boundary) })
        },
        "diffuse": Builtin(parameters: ["x", "steps", "rate", "boundary"], required: 1) { (a) throws(ExpressionError) in
            var x = try a.array("x")
            let steps = try a.integer("steps", default: 10), rate = try a.number("rate", default: 0.1)
            let boundary = try a.boundary()
            try a.library { try Limits.checkSteps(steps) }
            for _ in 0..<steps { x = try a.library { try step(x, rate: rate, boundary: boundary) } }
            return .array(x)
        },
    ]

    /// One stencil pass with depth 1 on every axis: the Laplacian (sum of the
    /// 2·rank neighbours minus 2·rank times the centre), or with `rate`,
    /// `x + rate · laplacian(x)`.
    static func step(_ x: BlockArray, rate: Double?, boundary: Boundary) throws -> BlockArray {
        let rank = x.rank
        let name = rate.map { "diffuse-\(tokenText($0))" } ?? "laplacian"
        return try x.mapOverlap(depth: Array(repeating: 1, count: rank), boundary: boundary, name: name,
                                flopsPerElement: Double(2 * rank + 2)) { block in
            applyStencil(block, rate: rate)
        }
    }

    /// The stencil on every element at least one away from the block's faces; the rest is trimmed later.
    private static func applyStencil(_ block: DenseArray, rate: Double?) -> DenseArray {
        let shape = block.shape, strides = block.strides, rank = shape.count
        guard rank > 0, shape.allSatisfy({ $0 >= 3 }) else { return block }
        var result = block
        let inner = shape[rank - 1]
        let centreWeight = -2 * Double(rank)
        block.storage.withUnsafeBufferPointer { source in
            result.storage.withUnsafeMutableBufferPointer { target in
                if rank == 2 {
                    // The common case, with the four neighbours spelled out so the loop vectorizes.
                    let width = shape[1], weight = rate ?? 1, keep = rate == nil ? 0.0 : 1.0
                    for i in 1..<(shape[0] - 1) {
                        let row = i * width
                        for j in 1..<(width - 1) {
                            let centre = row + j
                            let sum = source[centre - width] + source[centre + width] + source[centre - 1]
                                + source[centre + 1] - 4 * source[centre]
                            target[centre] = keep * source[centre] + weight * sum
                        }
                    }
                    return
                }
                // Rows over the outer axes whose coordinates are all interior.
                var index = [Int](repeating: 1, count: rank - 1)
                let rows = shape.dropLast().reduce(1) { $0 * ($1 - 2) }
                for _ in 0..<rows {
                    var base = 0
                    for axis in 0..<(rank - 1) { base += index[axis] * strides[axis] }
                    for j in 1..<(inner - 1) {
                        let centre = base + j
                        var sum = centreWeight * source[centre]
                        for axis in 0..<rank { sum += source[centre - strides[axis]] + source[centre + strides[axis]] }
                        target[centre] = rate.map { source[centre] + $0 * sum } ?? sum
                    }
                    var axis = rank - 2
                    while axis >= 0 {
                        index[axis] += 1
                        if index[axis] < shape[axis] - 1 { break }
                        index[axis] = 1
                        axis -= 1
                    }
                }
            }
        }
        return result
    }
}

extension Arguments {
    /// `boundary=`: 'periodic' (default), 'reflect', 'none', or a number for a constant.
    func boundary() throws(ExpressionError) -> Boundary {
        switch value("boundary") {
        case .none: return .periodic
        case .number(let constant): return .constant(constant)
        case .string("periodic"): return .periodic
        case .string("reflect"): return .reflect
        case .string("none"): return .none
        case let other:
            throw fail("boundary", "boundary must be 'periodic', 'reflect', 'none' or a number, got \(other)", .badValue)
        }
    }
}
