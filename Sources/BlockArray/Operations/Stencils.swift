/// Stencils built on `mapOverlap`: the discrete Laplacian and explicit diffusion steps.
extension BlockArray {
    /// The discrete Laplacian: each element's 2·rank neighbours (made by `boundary` past the edges)
    /// minus 2·rank times the element; with `.none`, elements on the array's faces stay as they are.
    public func laplacian(boundary: Boundary) throws -> BlockArray {
        try stencilStep(rate: nil, boundary: boundary)
    }

    /// `steps` explicit diffusion steps `x + rate · laplacian(x)`, one graph layer each; `steps`
    /// must be in `0...Limits.maxSteps`.
    public func diffuse(steps: Int, rate: Double, boundary: Boundary) throws -> BlockArray {
        try Limits.checkSteps(steps)
        var x = self
        for _ in 0..<steps { x = try x.stencilStep(rate: rate, boundary: boundary) }
        return x
    }

    /// One stencil pass with depth 1 on every axis: the Laplacian, or with `rate` a diffusion step.
    private func stencilStep(rate: Double?, boundary: Boundary) throws -> BlockArray {
        let name = rate.map { "diffuse-\(tokenText($0))" } ?? "laplacian"
        return try mapOverlap(depth: Array(repeating: 1, count: rank), boundary: boundary, name: name,
                              flopsPerElement: Double(2 * rank + 2)) { laplacianStencil($0, rate: rate) }
    }
}
