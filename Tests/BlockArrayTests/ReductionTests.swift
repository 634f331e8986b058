import BlockArray
import Foundation
import Testing

/// A reduction as the library spells it and as the reference computes it.
struct ReductionKind: Sendable, CustomTestStringConvertible {
    let name: String
    let lazy: @Sendable (BlockArray, [Int]?, Bool, Int?) throws -> BlockArray
    let reference: @Sendable (DenseArray, [Int]?, Bool) -> DenseArray
    /// Per-element scale of the terms, for a tolerance that allows for cancellation.
    let scale: @Sendable (DenseArray, [Int]?, Bool) -> DenseArray?
    var testDescription: String { name }

    static let all: [ReductionKind] = [
        ReductionKind(name: "sum", lazy: { try $0.sum(axes: $1, keepDims: $2, splitEvery: $3) },
                      reference: { Reference.sum($0, axes: $1, keepDims: $2) },
                      scale: { Reference.sum(Reference.map($0, Swift.abs), axes: $1, keepDims: $2) }),
        ReductionKind(name: "mean", lazy: { try $0.mean(axes: $1, keepDims: $2, splitEvery: $3) },
                      reference: { Reference.mean($0, axes: $1, keepDims: $2) },
                      scale: { Reference.mean(Reference.map($0, Swift.abs), axes: $1, keepDims: $2) }),
        ReductionKind(name: "min", lazy: { try $0.min(axes: $1, keepDims: $2, splitEvery: $3) },
                      reference: { Reference.min($0, axes: $1, keepDims: $2) }, scale: { _, _, _ in nil }),
        ReductionKind(name: "max", lazy: { try $0.max(axes: $1, keepDims: $2, splitEvery: $3) },
                      reference: { Reference.max($0, axes: $1, keepDims: $2) }, scale: { _, _, _ in nil }),
        ReductionKind(name: "prod", lazy: { try $0.prod(axes: $1, keepDims: $2, splitEvery: $3) },
                      reference: { Reference.prod($0, axes: $1, keepDims: $2) }, scale: { _, _, _ in nil }),
        ReductionKind(name: "var", lazy: { try $0.variance(axes: $1, keepDims: $2, splitEvery: $3) },
                      reference: { Reference.variance($0, axes: $1, keepDims: $2) },
                      scale: { Reference.mean(Reference.map($0) { $0 * $0 }, axes: $1, keepDims: $2) }),
        ReductionKind(name: "var ddof 1", lazy: { try $0.variance(axes: $1, ddof: 1, keepDims: $2, splitEvery: $3) },
                      reference: { Reference.variance($0, axes: $1, ddof: 1, keepDims: $2) },
                      scale: { Reference.mean(Reference.map($0) { $0 * $0 }, axes: $1, keepDims: $2) }),
        ReductionKind(name: "std", lazy: { try $0.std(axes: $1, keepDims: $2, splitEvery: $3) },
                      reference: { Reference.std($0, axes: $1, keepDims: $2) },
                      scale: { Reference.map(Reference.mean(Reference.map($0) { $0 * $0 }, axes: $1, keepDims: $2)) { $0.squareRoot() } }),
        ReductionKind(name: "std ddof 1", lazy: { try $0.std(axes: $1, ddof: 1, keepDims: $2, splitEvery: $3) },
                      reference: { Reference.std($0, axes: $1, ddof: 1, keepDims: $2) },
                      scale: { Reference.map(Reference.mean(Reference.map($0) { $0 * $0 }, axes: $1, keepDims: $2)) { $0.squareRoot() } }),
    ]
}

/// Tree reductions over all or chosen axes, against the dense reference.
@Suite struct ReductionTests {
    static let shape = [6, 7, 5]
    static let axesCases: [[Int]?] = [nil, [0], [1], [2], [-1], [0, 2], [1, 2], [0, 1], [0, 1, 2], [-3, -1], [2, 0], []]

    /// Mixed-sign data; prod gets values near 1 so it neither overflows nor underflows.
    static func input(for kind: ReductionKind) -> DenseArray {
        kind.name == "prod" ? sample(shape, in: 0.5..<1.6) : sample(shape)
    }

    @Test(arguments: ReductionKind.all, axesCases)
    func reduction(kind: ReductionKind, axes: [Int]?) throws {
        let dense = Self.input(for: kind)
        for spec in [ChunkSpec.perAxis([2, 3, 2]), .uniform(-1), .uniform(1), .explicit([[5, 1], [1, 6], [2, 3]])] {
            for keepDims in [false, true] {
                for splitEvery in [nil, 2, 3] as [Int?] {
                    let result = try kind.lazy(try lazy(dense, spec), axes, keepDims, splitEvery)
                    let expected = kind.reference(dense, axes, keepDims)
                    let what = "\(kind.name) axes \(String(describing: axes)) keepDims \(keepDims) chunks \(spec) splitEvery \(String(describing: splitEvery))"
                    #expect(result.shape == expected.shape, "\(what)")
                    expectClose(try result.compute(), expected, scales: kind.scale(dense, axes, keepDims), what)
                }
            }
        }
    }

    @Test func fullReductionIsZeroDimensional() throws {
        let dense = sample([9, 4])
        let x = try lazy(dense, 2)
        let total = try x.sum()
        #expect(total.shape == [])
        #expect(close(try total.computeScalar(), Reference.accurateSum(dense.storage)))
        #expect(try x.sum(keepDims: true).shape == [1, 1])
        #expect(try x.argmax().shape == [])
    }

    static let argShapes: [([Int], ChunkSpec)] = [
        ([17], .uniform(3)), ([17], .uniform(1)), ([6, 7, 5], .perAxis([2, 3, 2])),
        ([6, 7, 5], .uniform(-1)), ([6, 7, 5], .uniform(1)), ([4, 9], .explicit([[1, 3], [4, 4, 1]])),
    ]

    @Test(arguments: argShapes)
    func argminArgmax(shape: [Int], spec: ChunkSpec) throws {
        let dense = sample(shape, seed: 5)
        let x = try lazy(dense, spec)
        for axis in [nil] + Array(-shape.count..<shape.count) as [Int?] {
            for splitEvery in [nil, 2] as [Int?] {
                let what = "axis \(String(describing: axis)) splitEvery \(String(describing: splitEvery))"
                #expect(try x.argmin(axis: axis, splitEvery: splitEvery).compute() == Reference.argmin(dense, axis: axis), "argmin \(what)")
                #expect(try x.argmax(axis: axis, splitEvery: splitEvery).compute() == Reference.argmax(dense, axis: axis), "argmax \(what)")
            }
        }
    }

    /// NumPy returns the first of equal extremes, and the first NaN if there is one.
    @Test func argReductionsTakeTheFirstTieAndTheFirstNaN() throws {
        let ties = try DenseArray(shape: [2, 6], storage: [3, 1, 5, 1, 5, 0, 2, 9, 2, 9, 2, 9])
        let x = try lazy(ties, [1, 2])
        #expect(try x.argmin().computeScalar() == 5)
        #expect(try x.argmax().computeScalar() == 7)
        #expect(try x.argmin(axis: 1).compute().storage == [5, 0])
        #expect(try x.argmax(axis: 1).compute().storage == [2, 1])
        #expect(try x.argmax(axis: 0).compute().storage == [0, 1, 0, 1, 0, 1])
        let withNaN = try DenseArray(shape: [8], storage: [1, 2, 3, .nan, 0, .nan, 9, -1])
        let y = try lazy(withNaN, 3)
        #expect(try y.argmin(splitEvery: 2).computeScalar() == 3)
        #expect(try y.argmax().computeScalar() == 3)
        let m = try y.max().computeScalar(), n = try y.min(splitEvery: 2).computeScalar()
        #expect(m.isNaN && n.isNaN)
    }

    /// A tree of at most `splitEvery` inputs per task, several levels deep.
    @Test(arguments: [(40, 2), (40, 3), (100, 4), (7, 16)])
    func treeFanInIsBounded(blocks: Int, splitEvery: Int) throws {
        let dense = sample([blocks * 2])
        let x = try lazy(dense, 2)
        for (name, result) in [("sum", try x.sum(splitEvery: splitEvery)), ("var", try x.variance(splitEvery: splitEvery)),
                               ("argmax", try x.argmax(splitEvery: splitEvery))] {
            for options in [OptimizationOptions(), OptimizationOptions(fuse: false)] {
                let graph = result.graph(options: options)
                let widest = graph.dependencies.map(\.count).max() ?? 0
                #expect(widest <= splitEvery, "\(name): a task reads \(widest) inputs")
                // Depth of the longest chain: at least the levels a tree of fan-in `splitEvery` needs.
                var depth = [Int](repeating: 0, count: graph.count)
                for id in graph.depthFirstOrder() {
                    depth[id] = 1 + (graph.dependencies[id].map { depth[$0] }.max() ?? 0)
                }
                let levels = Int((log(Double(blocks)) / log(Double(splitEvery))).rounded(.up))
                #expect(depth.max()! >= 1 + levels, "\(name): depth \(depth.max()!) for \(blocks) blocks")
            }
            let expected: Double
            switch name {
            case "sum": expected = Reference.sum(dense).storage[0]
            case "var": expected = Reference.variance(dense).storage[0]
            default: expected = Reference.argmax(dense).storage[0]
            }
            #expect(close(try result.computeScalar(), expected, scale: 100), "\(name)")
        }
    }

    @Test(arguments: [2, 3, 4])
    func multiAxisTreeFanInIsBounded(splitEvery: Int) throws {
        let dense = sample([12, 10])
        let x = try lazy(dense, 2)
        let result = try x.sum(splitEvery: splitEvery)
        let widest = result.graph(options: OptimizationOptions(fuse: false)).dependencies.map(\.count).max() ?? 0
        #expect(widest <= splitEvery, "a task of a full 2-D sum reads \(widest) partials with splitEvery \(splitEvery)")
        expectClose(try result.compute(), Reference.sum(dense), scale: 100)
        let rows = try x.mean(axes: [0], splitEvery: splitEvery)
        #expect((rows.graph(options: OptimizationOptions(fuse: false)).dependencies.map(\.count).max() ?? 0) <= splitEvery)
        expectClose(try rows.compute(), Reference.mean(dense, axes: [0]), scale: 2)
    }

    /// Data far from zero: a one-pass E[x²] − E[x]² would lose every digit.
    @Test(arguments: [nil, 2, 5] as [Int?])
    func varianceIsStableFarFromZero(splitEvery: Int?) throws {
        let noise = sample([100, 100], seed: 9)
        let dense = Reference.map(noise) { 1e9 + $0 }
        let x = try lazy(dense, [10, 7])
        let expected = Reference.variance(dense).storage[0]
        #expect(expected > 0.5 && expected < 3, "the reference itself is sane: \(expected)")
        let variance = try x.variance(splitEvery: splitEvery).computeScalar()
        #expect(close(variance, expected, tolerance: 1e-6), "var \(variance) vs \(expected)")
        let std = try x.std(ddof: 1, splitEvery: splitEvery).computeScalar()
        #expect(close(std, Reference.std(dense, ddof: 1).storage[0], tolerance: 1e-6))
        // Per-column too, with keepDims.
        expectClose(try x.variance(axes: [0], keepDims: true, splitEvery: splitEvery).compute(),
                    Reference.variance(dense, axes: [0], keepDims: true), tolerance: 1e-6)
        expectClose(try x.mean(axes: [1], splitEvery: splitEvery).compute(), Reference.mean(dense, axes: [1]))
    }

    @Test func varianceMatchesTheDenominatorForEachDdof() throws {
        let dense = sample([30])
        let x = try lazy(dense, 4)
        for ddof in 0...3 {
            #expect(close(try x.variance(ddof: ddof).computeScalar(), Reference.variance(dense, ddof: ddof).storage[0]))
        }
    }

    @Test func reductionsOfChainedExpressions() throws {
        let dense = sample([20, 30])
        let x = try lazy(dense, [6, 7])
        let expression = try (x.sin() * x.sin() + x.cos() * x.cos() - 1).mean()
        #expect(Swift.abs(try expression.computeScalar()) < 1e-15)
        let rowMax = try (x * 2).max(axes: [1])
        #expect(try rowMax.compute() == Reference.max(Reference.map(dense) { $0 * 2 }, axes: [1]))
        // A reduction feeding elementwise work and another reduction.
        let centered = try x - x.mean(axes: [0], keepDims: true)
        expectClose(try centered.sum(axes: [0]).compute(), DenseArray(shape: [30], repeating: 0), scale: 30)
    }

    /// Blocks with rows longer than a few accumulators and of odd length.
    @Test(arguments: [nil, [0], [1]] as [[Int]?])
    func largeBlocks(axes: [Int]?) throws {
        let dense = sample([120, 97], seed: 4)
        let x = try lazy(dense, [50, 64])
        let scale = Reference.sum(Reference.map(dense, Swift.abs), axes: axes)
        expectClose(try x.sum(axes: axes).compute(), Reference.sum(dense, axes: axes), scales: scale)
        expectClose(try x.mean(axes: axes).compute(), Reference.mean(dense, axes: axes), scale: 2)
        expectClose(try x.variance(axes: axes).compute(), Reference.variance(dense, axes: axes), scale: 2)
        #expect(try x.max(axes: axes).compute() == Reference.max(dense, axes: axes))
        #expect(try x.argmin(axis: axes?.first).compute() == Reference.argmin(dense, axis: axes?.first))
    }

    @Test func zeroDimensionalInput() throws {
        let x = try lazy(DenseArray(scalar: 3), 1)
        #expect(try x.sum().computeScalar() == 3)
        #expect(try x.mean().computeScalar() == 3)
        #expect(try x.max().computeScalar() == 3)
        #expect(try x.variance().computeScalar() == 0)
    }

    /// NumPy: `argmax` of a 0-d array is 0. Run in a child process, since a trap would end the whole run.
    @Test func argReductionsOfZeroDimensionalInput() async {
        await #expect(processExitsWith: .success) {
            let x = try BlockArray.fromArray(DenseArray(scalar: 3), chunks: 1)
            guard try x.argmax().computeScalar() == 0, try x.argmin().computeScalar() == 0 else { exit(1) }
        }
    }

    /// NumPy divides by max(n − ddof, 0): infinite for non-constant data when ddof ≥ n.
    @Test func varianceWithDdofAtLeastTheCount() throws {
        let x = try lazy(sample([4]), 3)
        #expect(try x.variance(ddof: 4).computeScalar() == .infinity)
        #expect(try x.variance(ddof: 6).computeScalar() == .infinity)
    }

    @Test func computeScalarRejectsArrays() throws {
        let x = try lazy(sample([4, 2]), 3)
        expectError("invalidArgument") { try x.computeScalar() }
        expectError("invalidArgument") { try x.sum(axes: [0]).computeScalar() }
        #expect(close(try x.sum(axes: [0, 1], keepDims: true).computeScalar(), Reference.sum(sample([4, 2])).storage[0]))
    }

    @Test func badAxesThrow() throws {
        let x = try lazy(sample([4, 5]), 2)
        expectError("invalidAxis") { try x.sum(axes: [2]) }
        expectError("invalidAxis") { try x.mean(axes: [-3]) }
        expectError("invalidAxis") { try x.max(axes: [0, 0]) }
        expectError("invalidAxis") { try x.variance(axes: [5]) }
        expectError("invalidAxis") { try x.argmin(axis: 2) }
        expectError("invalidAxis") { try x.argmax(axis: -3) }
        expectError("invalidArgument") { try x.sum(splitEvery: 1) }
    }

    @Test func emptyReductions() throws {
        let empty = try BlockArray.zeros([0, 3], chunks: 2)
        #expect(try empty.sum(axes: [0]).compute() == DenseArray(shape: [3], repeating: 0))
        #expect(try empty.prod(axes: [0]).compute() == DenseArray(shape: [3], repeating: 1))
        #expect(try empty.sum().computeScalar() == 0)
        expectError("invalidArgument") { try empty.min(axes: [0]) }
        expectError("invalidArgument") { try empty.argmax() }
        // Reducing the non-empty axis of an empty array gives an empty result.
        #expect(try empty.max(axes: [1]).compute().shape == [0])
    }
}
