import BlockArray

/// The stencil functions: arguments parsed here, arrays built by `BlockArray.laplacian` and `diffuse`.
enum Stencils {
    static let table: [String: Builtin] = [
        "laplacian": Builtin(parameters: ["x", "boundary"], required: 1) { (a) throws(ExpressionError) in
            let x = try a.array("x"), boundary = try a.boundary()
            return .array(try a.library { try x.laplacian(boundary: boundary) })
        },
        "diffuse": Builtin(parameters: ["x", "steps", "rate", "boundary"], required: 1) { (a) throws(ExpressionError) in
            let x = try a.array("x")
            let steps = try a.integer("steps", default: 10), rate = try a.number("rate", default: 0.1)
            let boundary = try a.boundary()
            return .array(try a.library { try x.diffuse(steps: steps, rate: rate, boundary: boundary) })
        },
    ]
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
