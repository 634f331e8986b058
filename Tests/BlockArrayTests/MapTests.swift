import BlockArray
import Testing

/// An error a user closure throws on purpose.
struct DeliberateFailure: Error, Equatable {
    let index: [Int]
}

extension Reference {
    /// `x` extended by `depth` on each side of each axis by NumPy's `pad` with the boundary rule:
    /// periodic = "wrap", reflect = "symmetric" (edge included), constant = "constant"; none pads nothing.
    static func pad(_ x: DenseArray, depth: [Int], boundary: Boundary) -> DenseArray {
        if case .none = boundary { return x }
        let shape = zip(x.shape, depth).map { $0 + 2 * $1 }
        return make(shape) { index in
            var source: [Int] = []
            for axis in 0..<x.rank {
                let n = x.shape[axis]
                var g = index[axis] - depth[axis]
                if g < 0 || g >= n {
                    switch boundary {
                    case .periodic: g = ((g % n) + n) % n
                    case .reflect: g = g < 0 ? -g - 1 : 2 * n - g - 1
                    case .constant(let value): return value
                    case .none: fatalError("handled above")
                    }
                }
                source.append(g)
            }
            return x[source]
        }
    }

    /// A stencil over the whole array: pad, apply, trim.
    static func mapOverlap(_ x: DenseArray, depth: [Int], boundary: Boundary,
                           _ body: (DenseArray) -> DenseArray) -> DenseArray {
        let out = body(pad(x, depth: depth, boundary: boundary))
        if case .none = boundary { return out }
        return slice(out, zip(depth, x.shape).map { .slice(start: $0, stop: $0 + $1, step: 1) })!
    }
}

/// Stencils written over whatever array they are given; points closer than the
/// stencil's reach to that array's edge are copied unchanged.
enum Stencil {
    /// 1-D three-point Laplacian, reach 1.
    static func laplacian3(_ x: DenseArray) -> DenseArray {
        let n = x.shape[0]
        return Reference.make(x.shape) { i in
            let k = i[0]
            return k < 1 || k >= n - 1 ? x[[k]] : x[[k - 1]] - 2 * x[[k]] + x[[k + 1]]
        }
    }

    /// 1-D five-point fourth-order second derivative, reach 2.
    static func fivePoint(_ x: DenseArray) -> DenseArray {
        let n = x.shape[0]
        return Reference.make(x.shape) { i in
            let k = i[0]
            guard k >= 2 && k < n - 2 else { return x[[k]] }
            return (-x[[k - 2]] + 16 * x[[k - 1]] - 30 * x[[k]] + 16 * x[[k + 1]] - x[[k + 2]]) / 12
        }
    }

    /// 2-D five-point Laplacian, reach 1 on both axes.
    static func laplacian5(_ x: DenseArray) -> DenseArray {
        let (r, c) = (x.shape[0], x.shape[1])
        return Reference.make(x.shape) { i in
            let (a, b) = (i[0], i[1])
            guard a >= 1 && a < r - 1 && b >= 1 && b < c - 1 else { return x[i] }
            return x[[a - 1, b]] + x[[a + 1, b]] + x[[a, b - 1]] + x[[a, b + 1]] - 4 * x[i]
        }
    }

    /// 2-D second difference down the columns only: reach 1 on rows, 0 on columns.
    static func rowLaplacian(_ x: DenseArray) -> DenseArray {
        let r = x.shape[0]
        return Reference.make(x.shape) { i in
            let a = i[0]
            guard a >= 1 && a < r - 1 else { return x[i] }
            return x[[a - 1, i[1]]] - 2 * x[i] + x[[a + 1, i[1]]]
        }
    }

    /// 2-D anisotropic stencil: reach 2 along rows, 1 along columns.
    static func anisotropic(_ x: DenseArray) -> DenseArray {
        let (r, c) = (x.shape[0], x.shape[1])
        return Reference.make(x.shape) { i in
            let (a, b) = (i[0], i[1])
            guard a >= 2 && a < r - 2 && b >= 1 && b < c - 1 else { return x[i] }
            return 0.5 * x[[a - 2, b]] + x[[a + 2, b]] - 3 * x[i] + 2 * x[[a, b - 1]] - 0.25 * x[[a, b + 1]]
        }
    }
}

/// A stencil case: shape, depth, and the stencil by name (closures are not test arguments).
struct StencilCase: Sendable, CustomTestStringConvertible {
    let name: String
    let shape: [Int]
    let depth: [Int]
    let specs: [ChunkSpec]
    var testDescription: String { "\(name) \(shape)" }

    var body: @Sendable (DenseArray) -> DenseArray {
        switch name {
        case "laplacian3": return Stencil.laplacian3
        case "fivePoint": return Stencil.fivePoint
        case "laplacian5": return Stencil.laplacian5
        case "rowLaplacian": return Stencil.rowLaplacian
        default: return Stencil.anisotropic
        }
    }

    static let all = [
        StencilCase(name: "laplacian3", shape: [17], depth: [1], specs: [.uniform(-1), .uniform(5), .uniform(1), .explicit([[2, 14, 1]])]),
        StencilCase(name: "fivePoint", shape: [19], depth: [2], specs: [.uniform(-1), .uniform(4), .uniform(2), .uniform(1), .explicit([[3, 15, 1]])]),
        StencilCase(name: "laplacian5", shape: [9, 11], depth: [1, 1], specs: [.uniform(-1), .uniform(3), .uniform(1), .perAxis([4, 5]), .explicit([[2, 7], [1, 9, 1]])]),
        StencilCase(name: "rowLaplacian", shape: [8, 6], depth: [1, 0], specs: [.uniform(-1), .uniform(3), .uniform(1), .perAxis([5, 2])]),
        StencilCase(name: "anisotropic", shape: [12, 7], depth: [2, 1], specs: [.uniform(-1), .uniform(3), .perAxis([2, 1]), .perAxis([5, -1])]),
    ]
}

/// `mapBlocks` and `mapOverlap`: user functions over blocks and over blocks with halos.
@Suite struct MapTests {
    // MARK: mapBlocks

    @Test(arguments: [ChunkSpec.uniform(3), .uniform(-1), .uniform(1), .explicit([[1, 6], [4, 4, 2]])])
    func mapBlocksSeesEachBlockAndWhereItIs(spec: ChunkSpec) throws {
        let dense = sample([7, 10])
        let x = try lazy(dense, spec)
        // Each element becomes its global flat index, computed from the block's offset, plus its value.
        let mapped = x.mapBlocks(name: "global-index") { block, info in
            guard block.shape == info.shape else { throw DeliberateFailure(index: info.index) }
            return Reference.make(block.shape) { local in
                let global = zip(info.offset, local).map(+)
                return Double(global[0] * 10 + global[1]) + block[local]
            }
        }
        #expect(try mapped.compute() == Reference.make([7, 10]) { Double($0[0] * 10 + $0[1]) + dense[$0] })
        // The block index matches the chunks' own bookkeeping.
        let chunks = x.chunks
        let checked = x.mapBlocks(name: "check-info") { block, info in
            guard info.offset == chunks.blockOffset(info.index), info.shape == chunks.blockShape(info.index) else {
                throw DeliberateFailure(index: info.index)
            }
            return block
        }
        #expect(try checked.compute() == dense)
    }

    @Test func mapBlocksComposesWithOtherOperations() throws {
        let dense = sample([8, 6])
        let x = try lazy(dense, [3, 4])
        let doubled = (x + 1).mapBlocks(name: "double") { block, _ in Reference.map(block) { $0 * 2 } }
        expectClose(try doubled.sum(axes: [1]).compute(), Reference.sum(Reference.map(dense) { ($0 + 1) * 2 }, axes: [1]), scale: 20)
    }

    @Test func mapBlocksNamesAreDeterministicOnlyWhenNamed() throws {
        let x = try lazy(sample([4]), 2)
        let body: BlockFunction = { block, _ in block }
        #expect(x.mapBlocks(name: "same", body).name == x.mapBlocks(name: "same", body).name)
        #expect(x.mapBlocks(name: "same", body).name != x.mapBlocks(name: "other", body).name)
        #expect(x.mapBlocks(body).name != x.mapBlocks(body).name)
    }

    @Test func checkFiniteFailsTheBlockHoldingANaNAndNamesTheElement() throws {
        var dense = sample([7, 10])
        #expect(try lazy(dense, [3, 4]).checkFinite().compute() == dense)
        dense[[4, 9]] = .nan
        let error = #expect(throws: TaskFailure.self) { try lazy(dense, [3, 4]).checkFinite().compute() }
        #expect(error?.blockIndex == [1, 2])
        #expect((error?.underlying as? NonFiniteValueError)?.index == [4, 9])
    }

    @Test func wrongShapedBlockMakesComputeThrow() throws {
        let x = try lazy(sample([6, 4]), [3, 2])
        let bad = x.mapBlocks(name: "drop-a-row") { block, info in
            info.index == [1, 1] ? Reference.slice(block, [.slice(start: 1, stop: nil, step: nil)])! : block
        }
        let error = #expect(throws: (any Error).self) { try bad.compute() }
        // Either the shape error itself or a task failure wrapping it.
        let shapeError = (error as? BlockArrayError) ?? ((error as? TaskFailure)?.underlying as? BlockArrayError)
        #expect(shapeError.map(caseName) == "blockShapeMismatch", "got \(String(describing: error))")
        if case .blockShapeMismatch(_, let expected, let got)? = shapeError {
            #expect(expected == [3, 2])
            #expect(got == [2, 2])
        }
    }

    @Test func throwingBodyReportsTheFailingTask() throws {
        let x = try lazy(sample([6, 4]), [3, 2])
        let failing = x.mapBlocks(name: "fail-one") { block, info in
            if info.index == [1, 0] { throw DeliberateFailure(index: info.index) }
            return block
        }
        let failure = #expect(throws: TaskFailure.self) { try failing.compute() }
        #expect(failure?.key == failing.key([1, 0]))
        #expect(failure?.blockIndex == [1, 0])
        #expect(failure?.underlying as? DeliberateFailure == DeliberateFailure(index: [1, 0]))
        #expect(failure.map { "\($0)".contains("[1, 0]") } == true, "the message names the block")
    }

    // MARK: mapOverlap

    static let boundaries: [Boundary] = [.periodic, .reflect, .constant(0), .constant(-2.5), .none]

    @Test(arguments: StencilCase.all, boundaries)
    func stencilMatchesTheDenseReference(c: StencilCase, boundary: Boundary) throws {
        let dense = sample(c.shape)
        let expected = Reference.mapOverlap(dense, depth: c.depth, boundary: boundary, c.body)
        var first: DenseArray?
        for spec in c.specs {
            let result = try lazy(dense, spec).mapOverlap(depth: c.depth, boundary: boundary, name: c.name, c.body).compute()
            expectClose(result, expected, scale: 10, "\(c.name) \(boundary) chunks \(spec)")
            // The same arithmetic on the same neighbours: identical for every chunking.
            if let first { #expect(result == first, "chunks \(spec) changed the result") }
            first = first ?? result
        }
    }

    /// The body sees the block plus `depth` on each side (less at the edges for `.none`).
    @Test(arguments: boundaries)
    func bodyReceivesTheExtendedBlock(boundary: Boundary) throws {
        let dense = sample([10, 6])
        let x = try lazy(dense, [4, 3])
        let result = try x.mapOverlap(depth: [2, 1], boundary: boundary, name: "shape-check") { extended in
            Reference.map(extended) { _ in Double(extended.shape[0] * 100 + extended.shape[1]) }
        }.compute()
        let expected = Reference.make([10, 6]) { i -> Double in
            let rows = [4, 4, 2][i[0] / 4], columns = 3
            var extendedRows = rows + 4, extendedColumns = columns + 2
            if case .none = boundary {
                extendedRows -= (i[0] < 4 ? 2 : 0) + (i[0] >= 8 ? 2 : 0)
                extendedColumns -= 1
            }
            return Double(extendedRows * 100 + extendedColumns)
        }
        #expect(result == expected)
    }

    /// The halo holds the neighbours' values (or the boundary's): reading them back gives the padded array.
    @Test(arguments: [Boundary.periodic, .reflect, .constant(7)])
    func haloHoldsNeighboursAndBoundaryValues(boundary: Boundary) throws {
        let dense = sample([9])
        let padded = Reference.pad(dense, depth: [3], boundary: boundary)
        // Output element i = sum of its extended window, i.e. padded[i ... i + 6].
        let result = try lazy(dense, 2).mapOverlap(depth: [3], boundary: boundary) { extended in
            Reference.make(extended.shape) { i in
                let k = i[0]
                guard k >= 3 && k < extended.shape[0] - 3 else { return 0 }
                return (k - 3...k + 3).map { extended[[$0]] * Double($0 - k + 10) }.reduce(0, +)
            }
        }.compute()
        let expected = Reference.make([9]) { i in
            (0...6).map { padded[[i[0] + $0]] * Double($0 + 7) }.reduce(0, +)
        }
        expectClose(result, expected, scale: 100)
    }

    @Test func mapOverlapRejectsBadArguments() throws {
        let x = try lazy(sample([6, 5]), 2)
        let body: @Sendable (DenseArray) -> DenseArray = { $0 }
        expectError("invalidArgument") { try x.mapOverlap(depth: [1], boundary: .periodic, body) }
        expectError("invalidArgument") { try x.mapOverlap(depth: [1, -1], boundary: .reflect, body) }
        expectError("invalidArgument") { try x.mapOverlap(depth: [7, 1], boundary: .periodic, body) }
        // A body that returns the wrong shape makes compute throw.
        let trimmed = try x.mapOverlap(depth: [1, 1], boundary: .constant(0)) { Reference.slice($0, [.slice(start: 1, stop: -1, step: nil)])! }
        #expect(throws: (any Error).self) { try trimmed.compute() }
    }
}
