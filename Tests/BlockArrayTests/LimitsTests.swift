import BlockArray
import Testing

/// Sizes past `Limits`, and sizes whose counts overflow `Int`, are refused with the error that
/// names them: a Swift caller gets a `BlockArrayError`, never a trap or an absurd allocation.
@Suite struct LimitsTests {
    /// The error `body` throws, or nil (recording an issue) when it returns or throws another type.
    func error<R>(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> R) -> BlockArrayError? {
        do {
            let value = try body()
            Issue.record("expected a BlockArrayError, got \(value)", sourceLocation: sourceLocation)
        } catch let error as BlockArrayError {
            return error
        } catch {
            Issue.record("expected a BlockArrayError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }

    @Test func theLimitsAreThoseDocumented() {
        #expect(Limits.maxElements == 1 << 50)
        #expect(Limits.maxBlocks == 1 << 20)
        #expect(Limits.maxSteps == 10_000)
    }

    @Test func arraysAtTheLimitsAreBuilt() throws {
        let largest = try BlockArray.ones([1 << 25, 1 << 25], chunks: .uniform(1 << 15))
        #expect(largest.count == Limits.maxElements)
        #expect(largest.chunks.blockCount == Limits.maxBlocks)
        #expect(try BlockArray.zeros([1 << 20], chunks: 1).chunks.blockCount == Limits.maxBlocks)
    }

    @Test func creationPastTheElementLimitThrows() {
        #expect(error { try BlockArray.ones([1 << 40, 1 << 40], chunks: -1) } == .tooManyElements(shape: [1 << 40, 1 << 40]))
        #expect(error { try BlockArray.ones([1 << 25, (1 << 25) + 1], chunks: -1) } == .tooManyElements(shape: [1 << 25, (1 << 25) + 1]))
        #expect(error { try BlockArray.random([Int.max, 2], chunks: -1) } == .tooManyElements(shape: [Int.max, 2]))
        #expect(error { try BlockArray.normal([1 << 62, 1 << 62, 1 << 62], chunks: 1) } == .tooManyElements(shape: [1 << 62, 1 << 62, 1 << 62]))
        #expect(error { try BlockArray.full([1 << 51], 2, chunks: -1) } == .tooManyElements(shape: [1 << 51]))
        #expect(error { try BlockArray.eye(1 << 30, chunks: -1) } == .tooManyElements(shape: [1 << 30, 1 << 30]))
        #expect(error { try BlockArray.linspace(0, 1, count: Int.max, chunks: -1) } == .tooManyElements(shape: [Int.max]))
        #expect(error { try BlockArray.fromFunction([1 << 60], chunks: -1, name: "zero") { _ in 0 } } == .tooManyElements(shape: [1 << 60]))
        #expect(error { try DenseArray(shape: [1 << 40, 1 << 40], storage: []) } == .tooManyElements(shape: [1 << 40, 1 << 40]))
        // An empty axis counts as one, so the others' strides cannot overflow.
        #expect(error { try BlockArray.zeros([0, 1 << 40, 1 << 40], chunks: -1) } == .tooManyElements(shape: [0, 1 << 40, 1 << 40]))
    }

    @Test func arangePastTheLimitThrowsAndAnEmptyRangeOfAnyLengthIsEmpty() throws {
        #expect(error { try BlockArray.arange(0, 1e300, chunks: -1) } == .rangeTooLong(start: 0, stop: 1e300, step: 1))
        #expect(error { try BlockArray.arange(0, 1e19, chunks: -1) } == .rangeTooLong(start: 0, stop: 1e19, step: 1))
        #expect(error { try BlockArray.arange(-1e308, 1e308, chunks: -1) } == .rangeTooLong(start: -1e308, stop: 1e308, step: 1))
        #expect(try BlockArray.arange(0, -1e300, chunks: -1).shape == [0])
        #expect(try BlockArray.arange(0, 1e300, step: -1, chunks: -1).shape == [0])
    }

    @Test func creationPastTheBlockLimitThrows() throws {
        #expect(error { try BlockArray.ones([1 << 21], chunks: 1) } == .tooManyBlocks(shape: [1 << 21], chunks: .uniform(1)))
        #expect(error { try BlockArray.zeros([1 << 11, 1 << 10], chunks: [1, 1]) }
                == .tooManyBlocks(shape: [1 << 11, 1 << 10], chunks: .perAxis([1, 1])))
        #expect(error { try BlockArray.random([1 << 40, 1 << 10], chunks: 1) } == .tooManyBlocks(shape: [1 << 40, 1 << 10], chunks: .uniform(1)))
        let many = ChunkSpec.explicit([[Int](repeating: 1, count: 1 << 21)])
        #expect(error { try BlockArray.ones([1 << 21], chunks: many) } == .tooManyBlocks(shape: [1 << 21], chunks: many))
    }

    @Test func hugeExplicitAndUniformChunkSizesDoNotOverflow() throws {
        // Sizes whose sum overflows are refused as not tiling the axis.
        guard case .invalidChunks(_, _, let reason)? = error({ try Chunks(shape: [4], spec: .explicit([[Int.max, Int.max, 2]])) }) else {
            Issue.record("expected invalidChunks")
            return
        }
        #expect(reason == "axis 0 sizes sum to more than \(Int.max), not 4")
        #expect(error { try Chunks(shape: [4], spec: .explicit([[Int.max, Int.min + 5]])) }.map(caseName) == "invalidChunks")
        #expect(error { try Chunks(shape: [4], spec: .uniform(Int.min)) }.map(caseName) == "invalidChunks")
        // A block larger than the axis is the whole axis.
        #expect(try Chunks(shape: [10, 3], spec: .perAxis([Int.max, 2])).sizes == [[10], [2, 1]])
    }

    @Test func broadcastingPastTheLimitsThrows() throws {
        let column = try BlockArray.ones([1 << 26, 1], chunks: -1), row = try BlockArray.ones([1, 1 << 26], chunks: -1)
        #expect(error { try column + row } == .tooManyElements(shape: [1 << 26, 1 << 26]))
        #expect(error { try BlockArray.where(column, row, 0 * row) } == .tooManyElements(shape: [1 << 26, 1 << 26]))
        let tall = try BlockArray.ones([1 << 11, 1], chunks: 1), wide = try BlockArray.ones([1, 1 << 10], chunks: 1)
        #expect(error { try tall * wide } == .tooManyBlocks(shape: [1 << 11, 1 << 10], chunks: .perAxis([1, 1])))
        #expect((try tall * wide.rechunk([1, 2])).chunks.blockCount == Limits.maxBlocks)
    }

    @Test func matrixProductsPastTheLimitsThrow() throws {
        let column = try BlockArray.ones([1 << 26, 1], chunks: -1), row = try BlockArray.ones([1, 1 << 26], chunks: -1)
        #expect(error { try column.matmul(row) } == .tooManyElements(shape: [1 << 26, 1 << 26]))
        let tall = try BlockArray.ones([1 << 11, 1], chunks: 1), wide = try BlockArray.ones([1, 1 << 10], chunks: 1)
        #expect(error { try tall.dot(wide) } == .tooManyBlocks(shape: [1 << 11, 1 << 10], chunks: .perAxis([1, 1])))
    }

    @Test func joinsPastTheLimitsThrow() throws {
        let half = try BlockArray.ones([1 << 49], chunks: -1)
        #expect(error { try BlockArray.concatenate([half, half, half]) } == .tooManyElements(shape: [3 << 49]))
        #expect(error { try BlockArray.stack([half, half, half]) } == .tooManyElements(shape: [3, 1 << 49]))
        #expect(try BlockArray.concatenate([half, half]).count == Limits.maxElements)
        // 9000 arrays of 2^50 elements: the joined extent overflows Int, and shows as Int.max.
        let full = try BlockArray.ones([1 << 50], chunks: -1)
        #expect(error { try BlockArray.concatenate([BlockArray](repeating: full, count: 9_000)) } == .tooManyElements(shape: [Int.max]))
        let blocks = try BlockArray.ones([1 << 20], chunks: 1)
        #expect(error { try BlockArray.concatenate([blocks, blocks]) } == .tooManyBlocks(shape: [1 << 21], chunks: .perAxis([1])))
    }

    @Test func rechunkingPastTheBlockLimitThrows() throws {
        let x = try BlockArray.ones([1 << 30], chunks: -1)
        #expect(error { try x.rechunk(1) } == .tooManyBlocks(shape: [1 << 30], chunks: .uniform(1)))
        #expect(try x.rechunk(.uniform(1 << 10)).chunks.blockCount == Limits.maxBlocks)
    }

    @Test func slicesWithExtremeStepsAndBoundsDoNotOverflow() throws {
        let x = try BlockArray.arange(0, 10, chunks: 3)
        func values(_ index: AxisIndex) throws -> [Double] { try x.slice([index]).compute().storage }
        #expect(try values(.slice(start: nil, stop: nil, step: Int.max)) == [0])
        #expect(try values(.slice(start: nil, stop: nil, step: Int.min)) == [9])
        #expect(try values(.slice(start: Int.min, stop: Int.max, step: 4)) == [0, 4, 8])
        #expect(try values(.slice(start: Int.max, stop: Int.min, step: -3)) == [9, 6, 3, 0])
        #expect(try values(.slice(start: 2, stop: Int.max, step: Int.max - 1)) == [2])
        #expect(error { try x.slice([.index(Int.min)]) }.map(caseName) == "invalidArgument")
    }

    @Test func overlapsPastTheLimitsThrowAndADepthWithoutBoundaryIsClamped() throws {
        let x = try BlockArray.arange(0, 8, chunks: 3)
        let body: @Sendable (DenseArray) -> DenseArray = { $0 }
        for depth in [Int.max, 1 << 49] {
            #expect(error { try x.mapOverlap(depth: [depth], boundary: .constant(0), body) }
                    .map(caseName) == "invalidArgument")
        }
        // Without a boundary, any depth past the extent reads the whole axis, as a depth of the extent does.
        let sums: @Sendable (DenseArray) -> DenseArray = { block in
            DenseArray(shape: block.shape, repeating: block.storage.reduce(0, +))
        }
        let far = try x.mapOverlap(depth: [Int.max], boundary: .none, name: "sum", sums).compute()
        #expect(far.storage == [Double](repeating: 28, count: 8))
    }

    @Test func limitErrorsNameTheValue() {
        #expect(BlockArrayError.tooManyElements(shape: [1 << 40, 1 << 40]).description
                == "shape [1099511627776, 1099511627776] is past the limit of 2^50 elements")
        #expect(BlockArrayError.tooManyBlocks(shape: [10_000_000], chunks: .uniform(1)).description
                == "shape [10000000] in blocks of 1 makes more than 1048576 blocks; use larger chunks")
        #expect(BlockArrayError.rangeTooLong(start: 0, stop: 1e19, step: 1).description
                == "arange(0.0, 1e+19, 1.0) has more than 2^50 elements")
        #expect(BlockArrayError.invalidSteps(-1).description == "steps must be between 0 and 10000, got -1")
    }
}
