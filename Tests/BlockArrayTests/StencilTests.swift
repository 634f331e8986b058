import BlockArray
import Testing

extension Reference {
    /// One stencil pass over the whole array, neighbours past the edges from NumPy's `pad`: the
    /// Laplacian, or with `rate` a diffusion step. With `.none`, elements on the faces stay as they are.
    static func stencilStep(_ x: DenseArray, rate: Double?, boundary: Boundary) -> DenseArray {
        let rank = x.rank
        let padded = pad(x, depth: Array(repeating: 1, count: rank), boundary: boundary)
        let shift = boundary == .none ? 0 : 1
        return make(x.shape) { index in
            if boundary == .none && zip(index, x.shape).contains(where: { $0 == 0 || $0 == $1 - 1 }) { return x[index] }
            var sum = -2 * Double(rank) * x[index]
            for axis in 0..<rank {
                for step in [-1, 1] {
                    var neighbour = index.map { $0 + shift }
                    neighbour[axis] += step
                    sum += padded[neighbour]
                }
            }
            return rate.map { x[index] + $0 * sum } ?? sum
        }
    }
}

/// A grid for the stencils: its shape and the chunkings to try.
struct GridCase: Sendable, CustomTestStringConvertible {
    let shape: [Int]
    let specs: [ChunkSpec]
    var testDescription: String { "\(shape)" }

    static let all = [
        GridCase(shape: [17], specs: [.uniform(-1), .uniform(5), .uniform(1)]),
        GridCase(shape: [9, 7], specs: [.uniform(-1), .perAxis([4, 3]), .uniform(2), .explicit([[1, 7, 1], [6, 1]])]),
        GridCase(shape: [5, 6, 4], specs: [.uniform(-1), .uniform(2), .perAxis([5, 3, 1])]),
    ]
}

/// `laplacian` and `diffuse` called from Swift agree with a whole-array reference for every
/// boundary, rank and chunking.
@Suite struct StencilTests {
    static let boundaries: [Boundary] = [.periodic, .reflect, .constant(0), .constant(-1.5), .none]

    @Test(arguments: GridCase.all, boundaries)
    func laplacianMatchesTheReference(grid: GridCase, boundary: Boundary) throws {
        let dense = sample(grid.shape, seed: 3)
        let expected = Reference.stencilStep(dense, rate: nil, boundary: boundary)
        for spec in grid.specs {
            let result = try lazy(dense, spec).laplacian(boundary: boundary).compute()
            expectClose(result, expected, scale: 10, "laplacian \(boundary) chunks \(spec)")
        }
    }

    @Test(arguments: GridCase.all, boundaries)
    func diffusionMatchesTheReference(grid: GridCase, boundary: Boundary) throws {
        let dense = sample(grid.shape, seed: 4)
        var expected = dense
        for _ in 0..<3 { expected = Reference.stencilStep(expected, rate: 0.1, boundary: boundary) }
        for spec in grid.specs {
            let result = try lazy(dense, spec).diffuse(steps: 3, rate: 0.1, boundary: boundary).compute()
            expectClose(result, expected, scale: 10, "diffuse \(boundary) chunks \(spec)")
        }
    }

    @Test func periodicDiffusionConservesTheTotal() throws {
        let x = try lazy(sample([12, 10]), [5, 4])
        let total = try x.sum().computeScalar()
        #expect(abs(try x.diffuse(steps: 20, rate: 0.2, boundary: .periodic).sum().computeScalar() - total) < 1e-9)
    }

    @Test func zeroStepsIsTheArrayItselfAndEachStepIsOneLayer() throws {
        let x = try BlockArray.ones([4, 4], chunks: 2)
        #expect(try x.diffuse(steps: 0, rate: 0.1, boundary: .periodic) === x)
        var layers = 0
        var array = try x.diffuse(steps: 5, rate: 0.1, boundary: .reflect)
        while array !== x, let input = array.layer.inputs.first {
            layers += 1
            array = input
        }
        #expect(layers == 5)
    }

    /// The layers are the `mapOverlap` layers named as before, so task keys (and the dashboard's stages) stay.
    @Test func layersKeepTheirNames() throws {
        let x = try BlockArray.random([6, 5], chunks: 3, seed: 1)
        let same: @Sendable (DenseArray) -> DenseArray = { $0 }
        #expect(try x.laplacian(boundary: .periodic).name
                == x.mapOverlap(depth: [1, 1], boundary: .periodic, name: "laplacian", same).name)
        #expect(try x.diffuse(steps: 1, rate: 0.25, boundary: .constant(2)).name
                == x.mapOverlap(depth: [1, 1], boundary: .constant(2), name: "diffuse-3fd0000000000000", same).name)
        #expect(try x.laplacian(boundary: .periodic).name.hasPrefix("map_overlap-"))
    }

    @Test func stepCountsOutsideTheLimitThrow() throws {
        let x = try BlockArray.ones([4, 4], chunks: 2)
        for steps in [Limits.maxSteps + 1, -1, Int.max] {
            #expect(throws: BlockArrayError.invalidSteps(steps)) { try x.diffuse(steps: steps, rate: 0.1, boundary: .periodic) }
        }
        #expect(try x.diffuse(steps: Limits.maxSteps, rate: 0.1, boundary: .periodic).shape == [4, 4])
    }
}
