import BlockArray
import Testing

/// The operations of issue 17 in the library: their blocks, the operations their tasks name, and
/// what they refuse. Their values are compared with NumPy in ExpressionsTests (NumPyOperationsTests).
@Suite struct RealDataOperationsTests {
    /// The operations of an unfused graph's tasks, with how many tasks do each.
    func operationCounts(_ array: BlockArray) -> [String: Int] {
        let graph = array.graph(options: OptimizationOptions(fuse: false))
        return Dictionary(graph.tasks.map { ($0.operation, 1) }, uniquingKeysWith: +)
    }

    @Test func everyOperationNamesItsTasks() throws {
        let x = try BlockArray.ones([6, 9], chunks: [4, 3])
        let counts = operationCounts(try x.cumsum(axis: 1))
        // 2×3 blocks: the first column is its own scan, the two others have a scan, a carry and a cumsum task.
        #expect(counts["cumsum"] == 6 && counts["cumsum-scan"] == 4 && counts["cumsum-carry"] == 4, "\(counts)")
        #expect(operationCounts(try x.cumprod(axis: 0))["cumprod-carry"] == 3)
        #expect(operationCounts(x.astype(.int32))["astype"] == 6)
        #expect(operationCounts(try x.reshape([54]))["reshape"] == 2)
        #expect(operationCounts(try x.nanSum(axes: [0]))["nansum-partial"] == 6)
        #expect(operationCounts(try x.nanVariance())["nanvar0-aggregate"] == 1)
        #expect(operationCounts(x.isNaN())["isnan"] == 6)
        #expect(operationCounts(x.isFinite())["isfinite"] == 6)
        #expect(operationCounts(x % 2)["mod"] == 6)
        #expect(operationCounts(try (x .> 0) & (x .< 2))["logical_and"] == 6)
        #expect(operationCounts(try (x .> 0) | (x .< 2))["logical_or"] == 6)
        #expect(operationCounts(~(x .> 0))["logical_not"] == 6)
        #expect(operationCounts(try x.slice([.newAxis]))["expand_dims"] == 6)
    }

    /// dask's reshape_rechunk: merged axes are whole but the first; a split axis takes multiples of
    /// the trailing output axes, which are whole.
    @Test func reshapeRechunksAsDask() throws {
        let x = try BlockArray.ones([4, 6, 5], chunks: .explicit([[1, 3], [2, 4], [2, 3]]))
        #expect(try x.reshape([24, 5]).chunks.sizes == [[6, 18], [2, 3]])
        #expect(try x.reshape([4, 30]).chunks.sizes == [[1, 3], [10, 20]])
        #expect(try x.reshape([4, 3, 2, 5]).chunks.sizes == [[1, 3], [1, 2], [2], [2, 3]])
        let line = try BlockArray.ones([70], chunks: .explicit([[15, 25, 30]]))
        // Blocks of 15, 25, 30 become multiples of 10: 10, 30, 30.
        #expect(try line.reshape([7, 10]).chunks.sizes == [[1, 3, 3], [10]])
        #expect(try line.reshape([1, 70, 1]).chunks.sizes == [[1], [15, 25, 30], [1]])
        #expect(try line.reshape([-1]) === line)
    }

    @Test func reshapeRefusesWhatIsMoreThanARechunk() throws {
        let x = try BlockArray.ones([6, 4], chunks: 2)
        #expect(throws: BlockArrayError.invalidArgument(
            operation: "reshape",
            message: "cannot reshape [6, 4] into [4, 6] block by block: its axes neither merge nor split into the new ones; "
                + "reshape to one axis first, as reshape(-1).reshape([4, 6])")) { try x.reshape([4, 6]) }
        // One block reshapes whole, as dask does; through one axis it works in blocks.
        #expect(try BlockArray.ones([6, 4], chunks: -1).reshape([4, 6]).compute() == DenseArray(shape: [4, 6], repeating: 1))
        #expect(try x.reshape([-1]).reshape([4, 6]).shape == [4, 6])
        #expect(throws: BlockArrayError.self) { try x.reshape([5, 5]) }
        #expect(throws: BlockArrayError.self) { try x.reshape([-1, -1]) }
        #expect(throws: BlockArrayError.self) { try x.reshape([-2, -12]) }
        #expect(throws: BlockArrayError.self) { try x.reshape([1 << 40, 1 << 40, -1]) }
    }

    @Test func astypeFailsTheBlockHoldingWhatTheIntegerCannotHold() throws {
        var dense = sample([7, 10])
        dense[[4, 9]] = .nan
        let error = #expect(throws: TaskFailure.self) { try lazy(dense, [3, 4]).astype(.int32).compute() }
        let conversion = try #require(error?.underlying as? ElementConversionError)
        #expect(conversion.index == [4, 9] && conversion.block == [1, 2])
        #expect(conversion.description == "astype(int32): block [1, 2]: element [4, 9] is NaN, which int32 cannot hold")
        let tooLarge = #expect(throws: TaskFailure.self) { try BlockArray.full([3], 3e9, chunks: 2).astype(.int32).compute() }
        #expect((tooLarge?.underlying as? ElementConversionError)?.value == 3e9)
        // int64 holds it; uint8 does not hold -1, but does hold -0.5 (truncated to 0).
        #expect(try BlockArray.full([3], 3e9, chunks: 2).astype(.int64).compute().storage == [3e9, 3e9, 3e9])
        #expect(throws: TaskFailure.self) { try BlockArray.full([2], -1, chunks: 1).astype(.uint8).compute() }
        #expect(try BlockArray.full([2], -0.5, chunks: 1).astype(.uint8).compute().storage.map(\.sign) == [.plus, .plus])
    }

    @Test func scansRefuseAnAxisOutOfRange() throws {
        let x = try BlockArray.ones([3, 4], chunks: 2)
        #expect(throws: BlockArrayError.invalidAxis(axis: 2, rank: 2)) { try x.cumsum(axis: 2) }
        #expect(throws: BlockArrayError.invalidAxis(axis: -3, rank: 2)) { try x.cumprod(axis: -3) }
    }

    @Test func newAxesCountNoAxisOfTheArray() throws {
        let x = try BlockArray.ones([3, 4], chunks: 2)
        #expect(try x.slice([.newAxis, .all, .newAxis, .index(1), .newAxis]).shape == [1, 3, 1, 1])
        #expect(try x.slice([.newAxis, .all, .newAxis, .index(1), .newAxis]).chunks.sizes == [[1], [2, 1], [1], [1]])
        #expect(throws: BlockArrayError.self) { try x.slice([.index(0), .newAxis, .index(0), .index(0)]) }
    }
}
