import BlockArray
import Testing

/// What a monitor learns from a graph: operations, flops and the grid of the heaviest stage.
@Suite struct GraphSummaryTests {
    /// x @ x.T multiplies only the upper blocks; the lower ones show their transposed copies.
    @Test func theSymmetricProductsGridCoversEveryBlock() throws {
        let x = try BlockArray.random([400, 300], chunks: .uniform(100))
        let graph = try x.matmul(x.T).sum().graph()
        let map = graph.summary.grid
        #expect(map.rows == 4 && map.columns == 4)
        #expect(Set(map.blockOfTask.filter { $0 >= 0 }) == Set(0..<16))
        // The lower blocks are shown by tasks downstream of the products, never by x's own.
        let random = graph.tasks.indices.filter { graph.tasks[$0].key.name == x.name }
        #expect(random.allSatisfy { map.blockOfTask[$0] < 0 })
    }

    /// Every task names what it does: the product's kinds of block work apart, a reduction's
    /// stages, and a fused chain the operations it runs, in order.
    @Test func everyTaskNamesItsOperation() throws {
        let x = try BlockArray.random([300, 300], chunks: .uniform(100))
        let symmetric = try x.matmul(x.T).sum(splitEvery: 2).graph().summary
        // Fusion joins some of them (a mirror and the partial sum that reads it run as one task).
        let parts = Set(symmetric.operations.flatMap { $0.split(separator: "+").map(String.init) })
        #expect(parts == ["random", "syrk", "matmul", "transpose-mirror", "matmul-sum", "sum-partial", "sum-combine", "sum-aggregate"],
                "\(symmetric.operations)")
        let fused = try (x.sin() + 1).mean().graph()
        let counts = Dictionary(fused.tasks.map { ($0.operation, 1) }, uniquingKeysWith: +)
        #expect(counts == ["random+elementwise+mean-partial": 9, "mean-aggregate": 1], "\(counts)")
        let diffused = try x.diffuse(steps: 2, rate: 0.1, boundary: .periodic).graph().summary
        #expect(diffused.operations.contains("diffuse"))
    }

    /// The stages a grid can show, in graph order: the product's inputs, the product (the
    /// heaviest), the sum's partials; a stencil's steps are one stage whose blocks have a task per step.
    @Test func stagesFollowTheGraphAndJoinAStencilsSteps() throws {
        let x = try BlockArray.random([400, 400], chunks: .uniform(100))
        let product = try x.matmul(x.T).sum().graph().summary
        #expect(product.stages.first?.operation == "random")
        #expect(product.grid.operation == "matmul" && product.grid.extent == [4, 4])
        #expect(product.stages.allSatisfy { $0.extent.reduce(1, *) > 1 })
        #expect(product.stages.count >= 3 && product.heaviestStage == 1)

        let diffused = try x.diffuse(steps: 5, rate: 0.1, boundary: .periodic).mean().graph().summary
        // The last step is fused into the mean's partial sums, so the stage has the other four.
        let steps = try #require(diffused.stages.first { $0.operation == "diffuse" })
        #expect(steps.steps == 4 && steps.extent == [4, 4])
        let perBlock = Dictionary(steps.blockOfTask.filter { $0 >= 0 }.map { ($0, 1) }, uniquingKeysWith: +)
        #expect(perBlock.count == 16 && perBlock.values.allSatisfy { $0 == 4 }, "\(perBlock)")
        #expect(diffused.stages.contains { $0.operation == "diffuse+mean-partial" })
    }

    /// Each stage's grid keeps its blocks' sizes along each axis, for a monitor to draw them in
    /// proportion: irregular chunks, a rechunk, a concatenation with a last partial block.
    @Test func stagesKnowTheirBlocksSizes() throws {
        let x = try BlockArray.random([1000, 1000], chunks: .explicit([[100, 300, 600], [500, 500]]))
        let irregular = try x.sum().graph().summary
        #expect(irregular.stages.map(\.blockSizes) == [[[100, 300, 600], [500, 500]]], "\(irregular.stages.map(\.operation))")
        let rechunked = try x.rechunk(.explicit([[600, 300, 100], [1000]])).sum().graph().summary
        let rechunk = try #require(rechunked.stages.first { $0.operation.hasPrefix("rechunk") })
        #expect(rechunk.blockSizes == [[600, 300, 100], [1000]])
        #expect(rechunked.stages.first?.blockSizes == [[100, 300, 600], [500, 500]])
        let joined = try BlockArray.concatenate([BlockArray.ones([300, 100], chunks: 100), BlockArray.ones([50, 100], chunks: 100)])
        let concatenation = try #require(try joined.sum().graph().summary.stages.first { $0.extent == [4, 1] })
        #expect(concatenation.blockSizes == [[100, 100, 100, 50], [100]])
    }

    /// A remote source builds the same summary from task keys alone.
    @Test func aSummaryFromKeysPicksTheHeaviestLayerAndNamesOperations() {
        let tasks = [
            GraphSummary.TaskOutline(layer: "random-0123456789abcdef", blockIndex: [0, 0], flops: 1),
            GraphSummary.TaskOutline(layer: "random-0123456789abcdef", blockIndex: [0, 1], flops: 1),
            GraphSummary.TaskOutline(layer: "matmul-fedcba9876543210", blockIndex: [0, 0], flops: 10),
            GraphSummary.TaskOutline(layer: "matmul-fedcba9876543210", blockIndex: [1, 1], flops: 10),
            GraphSummary.TaskOutline(layer: "sum-aggregate-00ff00ff00ff00ff", blockIndex: [], flops: 2),
        ]
        let summary = GraphSummary(tasks: tasks, dependents: [[2], [3], [4], [4], []])
        #expect(summary.operations == ["random", "matmul", "sum-aggregate"])
        #expect(summary.operationOfTask == [0, 0, 1, 1, 2])
        #expect(summary.taskFlops == [1, 1, 10, 10, 2])
        #expect(summary.grid.stage == "matmul-fedcba9876543210")
        #expect(summary.grid.rows == 2 && summary.grid.columns == 2)
        #expect(summary.grid.blockOfTask == [-1, -1, 0, 3, -1])
        // Keys do not say the blocks' sizes: a monitor draws them alike.
        #expect(summary.stages.allSatisfy { $0.blockSizes == nil })
    }

    @Test(arguments: [("matmul-1f0e9a8b7c6d5e4f", "matmul"), ("sum-partial-00000000000000ff-2", "sum-partial"), ("sum-0123456789abcdef-partial", "sum-partial"),
                      ("check_finite", "check_finite"), ("x-1", "x"), ("ab-cafe", "ab-cafe")])
    func operationNamesDropTokens(layer: String, operation: String) {
        #expect(operationName(ofLayer: layer) == operation)
    }
}
