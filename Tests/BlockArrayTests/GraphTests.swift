import BlockArray
import Foundation
import Testing

/// Task graphs: deterministic keys, shared subexpressions, fusion, culling and task metadata.
@Suite struct GraphTests {
    /// `((x + 1) * 2 - 3).sin() / 4` over a 10×10-block array: five elementwise layers.
    static func chain(_ x: BlockArray) -> BlockArray {
        ((x + 1) * 2 - 3).sin() / 4
    }

    static func random100Blocks() throws -> BlockArray {
        try BlockArray.random([50, 40], chunks: [5, 4], seed: 3)
    }

    @Test func buildingTheSameExpressionTwiceGivesTheSameKeys() throws {
        let first = Self.chain(try Self.random100Blocks())
        let second = Self.chain(try Self.random100Blocks())
        #expect(first.name == second.name)
        for options in [OptimizationOptions(), OptimizationOptions(fuse: false)] {
            let a = first.graph(options: options), b = second.graph(options: options)
            #expect(a.count == b.count)
            #expect(Set(a.tasks.map(\.key)) == Set(b.tasks.map(\.key)))
            #expect(Set(a.tasks.map(\.key)).count == a.count, "task keys are unique")
        }
        // Reductions and products too.
        let r1 = try Self.chain(try Self.random100Blocks()).sum(axes: [0])
        let r2 = try Self.chain(try Self.random100Blocks()).sum(axes: [0])
        #expect(r1.name == r2.name)
        #expect(Set(r1.graph().tasks.map(\.key)) == Set(r2.graph().tasks.map(\.key)))
    }

    @Test func differentExpressionsGetDifferentNames() throws {
        let x = try Self.random100Blocks()
        var names: Set<String> = [x.name]
        for other in [
            x + 1, x + 2, 1 + x, x - 1, x * 1, try x + x, x.sin(), x.cos(), try x.transpose(),
            try BlockArray.random([50, 40], chunks: [5, 4], seed: 4),
            try BlockArray.random([50, 40], chunks: [10, 4], seed: 3),
            try BlockArray.normal([50, 40], chunks: [5, 4], seed: 3),
            try x.rechunk(10), try x.sum(), try x.mean(), try x.sum(axes: [1]),
        ] {
            #expect(names.insert(other.name).inserted, "\(other.name) repeats an earlier name")
        }
    }

    @Test func aSharedSubexpressionIsComputedOnce() throws {
        let x = try Self.random100Blocks()
        let y = x + 1
        for options in [OptimizationOptions(), OptimizationOptions(fuse: false)] {
            let once = (y * 2).graph(options: options).count
            #expect(try (y * y).graph(options: options).count == once)
            #expect(try (y + y).graph(options: options).count == once)
            // Two separately built but identical subexpressions are the same one.
            #expect(try ((x + 1) * (x + 1)).graph(options: options).count == once)
        }
        // A non-elementwise shared input (a rechunk) is not duplicated either.
        let r = try y.rechunk(10)
        let once = (r * 2).graph().count
        #expect(try (r * r).graph().count == once)
        #expect(try (r - r).compute() == DenseArray(shape: [50, 40], repeating: 0))
        let dense = try x.compute()
        expectClose(try (y * y).compute(), Reference.map(dense) { ($0 + 1) * ($0 + 1) })
    }

    @Test func fusionMakesOneTaskPerBlockForAnElementwiseChain() throws {
        let z = Self.chain(try Self.random100Blocks())
        let fused = z.graph()
        let unfused = z.graph(options: OptimizationOptions(fuse: false))
        #expect(fused.count >= 100 && fused.count <= 105, "fused: \(fused.count) tasks")
        #expect(unfused.count >= 500, "unfused: \(unfused.count) tasks")
        #expect(fused.tasks.map(\.fusedCount).reduce(0, +) == unfused.count)
        #expect(fused.totalFlops == unfused.totalFlops)
    }

    @Test func fusedAndUnfusedGiveIdenticalResults() throws {
        let x = try Self.random100Blocks()
        let expressions = [
            Self.chain(x),
            try (x * x - x.cos()).abs().sqrt(),
            try BlockArray.where(x .> 0.5, x, 1 - x).rechunk([7, 9]).exp(),
            try (x.T.slice([s(nil, nil, 3)]) + 1).sum(axes: [1]),
        ]
        for z in expressions {
            let fused = try z.compute()
            let unfused = try z.compute(options: OptimizationOptions(fuse: false))
            let unculled = try z.compute(options: OptimizationOptions(fuse: false, cull: false))
            #expect(fused == unfused)
            #expect(fused == unculled)
        }
    }

    @Test func cullingKeepsOnlyTheBlocksASliceNeeds() throws {
        let x = try BlockArray.random([100], chunks: 10, seed: 1) * 3 + 1
        let whole = x.graph()
        let piece = try x.slice([s(20, 30)])
        let culled = piece.graph()
        #expect(whole.count >= 10)
        #expect(culled.count <= 3, "one block's worth of tasks, got \(culled.count)")
        #expect(piece.graph(options: OptimizationOptions(fuse: false)).count < whole.count)
        #expect(piece.graph(options: OptimizationOptions(fuse: false, cull: false)).count > culled.count)
        // Straddling two blocks needs two.
        let straddle = try x.slice([s(25, 35)])
        #expect(straddle.graph().count < 2 * culled.count + 2)
        #expect(try piece.compute() == Reference.slice(try x.compute(), [s(20, 30)])!)
        // One element of a 2-D array needs one block of each input.
        let y = try Self.chain(try Self.random100Blocks()) + (try Self.random100Blocks().T.T)
        let one = try y.slice([.index(17), .index(-3)])
        #expect(one.graph().count <= 4)
        #expect(try one.computeScalar() == (try y.compute())[[17, 37]])
    }

    @Test func graphStructureIsConsistent() throws {
        let x = try Self.random100Blocks()
        let z = try (Self.chain(x) + x.T.T).sum(axes: [1], splitEvery: 3)
        for options in [OptimizationOptions(), OptimizationOptions(fuse: false)] {
            let graph = z.graph(options: options)
            #expect(graph.dependencies.count == graph.count)
            #expect(graph.dependents.count == graph.count)
            #expect(graph.outputs.count == z.chunks.blockCount)
            #expect(graph.outputChunks == z.chunks)
            for (id, task) in graph.tasks.enumerated() {
                #expect(graph.dependencies[id].map { graph.tasks[$0].key } == task.dependencies)
                for dependency in graph.dependencies[id] { #expect(graph.dependents[dependency].contains(id)) }
            }
            // The depth-first order runs every task once, after its dependencies.
            let order = graph.depthFirstOrder()
            #expect(order.count == graph.count)
            var position = [Int](repeating: -1, count: graph.count)
            for (step, id) in order.enumerated() { position[id] = step }
            #expect(!position.contains(-1))
            for id in 0..<graph.count {
                for dependency in graph.dependencies[id] { #expect(position[dependency] < position[id]) }
            }
        }
    }

    @Test(arguments: [OptimizationOptions(), OptimizationOptions(fuse: false)])
    func outputTasksDescribeTheirBlocks(options: OptimizationOptions) throws {
        let x = try BlockArray.random([23, 17], chunks: [5, 4], seed: 2)
        for z in [Self.chain(x), try x.rechunk([7, 6]), try x.slice([s(nil, nil, -2), s(3)]), try x.sum(axes: [0])] {
            let graph = z.graph(options: options)
            for (outputIndex, id) in zip(z.chunks.blockIndices, graph.outputs) {
                let task = graph.tasks[id]
                #expect(task.key == z.key(outputIndex))
                #expect(task.blockIndex == outputIndex)
                #expect(task.outputBytes == Reference.count(z.chunks.blockShape(outputIndex)) * 8)
            }
            // No block of these arrays is empty: every task makes bytes.
            for task in graph.tasks {
                #expect(task.flops >= 0)
                #expect(task.outputBytes > 0, "\(task.key.description)")
                #expect(task.fusedCount >= 1)
            }
        }
        // Elementwise tasks count work in proportion to their block.
        let graph = Self.chain(x).graph(options: options)
        for id in graph.outputs {
            let task = graph.tasks[id]
            let elements = Double(task.outputBytes / 8)
            #expect(task.flops >= elements && task.flops <= 10 * elements, "\(task.flops) flops for \(elements) elements")
        }
    }

    /// Running every task by hand, in dependency order, gives blocks of the advertised size
    /// that assemble to the computed result.
    @Test(arguments: [OptimizationOptions(), OptimizationOptions(fuse: false)])
    func tasksRunOnTheirInputsToTheirBlock(options: OptimizationOptions) throws {
        let dense = sample([9, 8]), other = sample([9, 5], seed: 1)
        let x = try lazy(dense, [4, 3]), y = try lazy(other, [2, 5])
        let expressions = [
            x.exp() * 2,
            try (x.exp() * 2).rechunk([5, 2]).slice([s(nil, nil, -1), s(1)]),
            try BlockArray.matmul(x.T, y, splitEvery: 2),
            try x.variance(axes: [0], splitEvery: 2),
            try BlockArray.concatenate([x, x.slice([s(nil, nil, 2)])], axis: 0).sum(axes: [1], keepDims: true),
        ]
        for z in expressions {
            let graph = z.graph(options: options)
            var results = [DenseArray?](repeating: nil, count: graph.count)
            for id in graph.depthFirstOrder() {
                let task = graph.tasks[id]
                let output = try task.run(graph.dependencies[id].map { results[$0]! })
                #expect(output.byteCount == task.outputBytes, "\(task.key.description)")
                results[id] = output
            }
            let expected = try z.compute(options: options)
            for (index, id) in zip(z.chunks.blockIndices, graph.outputs) {
                let offset = z.chunks.blockOffset(index), shape = z.chunks.blockShape(index)
                let window = Reference.slice(expected, zip(offset, shape).map { s($0, $0 + $1) })!
                #expect(try #require(results[id]) == window, "block \(index) of \(z.name)")
            }
        }
    }
}
