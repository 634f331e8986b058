import BlockArray
import Testing

/// Resolving `ChunkSpec`s against shapes, and rejecting the ones that do not tile them.
@Suite struct ChunksTests {
    @Test func uniformSizeLeavesARaggedLastBlock() throws {
        let chunks = try Chunks(shape: [10, 4], spec: .uniform(3))
        #expect(chunks.sizes == [[3, 3, 3, 1], [3, 1]])
        #expect(chunks.offsets == [[0, 3, 6, 9], [0, 3]])
        #expect(chunks.shape == [10, 4])
        #expect(chunks.blockCounts == [4, 2])
        #expect(chunks.blockCount == 8)
        #expect(chunks.blockShape([3, 1]) == [1, 1])
        #expect(chunks.blockOffset([2, 1]) == [6, 3])
    }

    @Test func uniformSizeThatDividesGivesEqualBlocks() throws {
        let chunks = try Chunks(shape: [6], spec: 2)
        #expect(chunks.sizes == [[2, 2, 2]])
    }

    @Test func sizeLargerThanTheAxisGivesOneBlock() throws {
        #expect(try Chunks(shape: [5, 2], spec: 100).sizes == [[5], [2]])
    }

    @Test func perAxisSizes() throws {
        let chunks = try Chunks(shape: [7, 5, 3], spec: [2, -1, 1])
        #expect(chunks.sizes == [[2, 2, 2, 1], [5], [1, 1, 1]])
        #expect(chunks.blockCount == 12)
    }

    @Test func explicitSizesAreKept() throws {
        let chunks = try Chunks(shape: [6, 3], spec: .explicit([[1, 4, 1], [3]]))
        #expect(chunks.sizes == [[1, 4, 1], [3]])
        #expect(chunks.offsets == [[0, 1, 5], [0]])
    }

    @Test func minusOneMeansTheWholeAxis() throws {
        #expect(try Chunks(shape: [9, 4], spec: .uniform(-1)).sizes == [[9], [4]])
        #expect(try Chunks(shape: [9, 4], spec: [-1, 3]).sizes == [[9], [3, 1]])
    }

    @Test func zeroExtentAxisHasOneEmptyBlock() throws {
        let chunks = try Chunks(shape: [0, 5], spec: 2)
        #expect(chunks.sizes == [[0], [2, 2, 1]])
        #expect(chunks.blockShape([0, 2]) == [0, 1])
        #expect(try Chunks(shape: [0], spec: .explicit([[0]])).sizes == [[0]])
    }

    @Test func zeroDimensionalShapeHasOneBlock() throws {
        let chunks = try Chunks(shape: [], spec: 4)
        #expect(chunks.sizes.isEmpty)
        #expect(chunks.blockCount == 1)
        #expect(chunks.blockIndices == [[]])
    }

    @Test func blockIndicesAreRowMajorAndTileTheShape() throws {
        let chunks = try Chunks(shape: [5, 7], spec: [2, 3])
        #expect(chunks.blockIndices.first == [0, 0])
        #expect(chunks.blockIndices[1] == [0, 1])
        #expect(chunks.blockIndices.count == chunks.blockCount)
        let covered = chunks.blockIndices.map { Reference.count(chunks.blockShape($0)) }.reduce(0, +)
        #expect(covered == 35)
        // Every block starts where the previous one along each axis ended.
        for index in chunks.blockIndices {
            for axis in 0..<2 where index[axis] > 0 {
                var previous = index
                previous[axis] -= 1
                #expect(chunks.blockOffset(index)[axis] == chunks.blockOffset(previous)[axis] + chunks.blockShape(previous)[axis])
            }
        }
    }

    @Test(arguments: [
        ([5, 4], ChunkSpec.uniform(0)),
        ([5, 4], .uniform(-2)),
        ([5, 4], .perAxis([2, 0])),
        ([5, 4], .perAxis([-3, 2])),
        ([5, 4], .perAxis([2])),
        ([5, 4], .perAxis([2, 2, 2])),
        ([5, 4], .explicit([[2, 2], [4]])),
        ([5, 4], .explicit([[3, 3], [4]])),
        ([5, 4], .explicit([[5, 0], [4]])),
        ([5, 4], .explicit([[6, -1], [4]])),
        ([5, 4], .explicit([[5]])),
        ([0], .explicit([[1]])),
    ])
    func invalidChunksThrow(shape: [Int], spec: ChunkSpec) {
        expectError("invalidChunks") { try Chunks(shape: shape, spec: spec) }
    }

    @Test func invalidChunksErrorNamesShapeAndSpec() throws {
        let error = #expect(throws: BlockArrayError.self) {
            try Chunks(shape: [5], spec: .explicit([[2, 2]]))
        }
        guard case .invalidChunks(let shape, let chunks, let reason)? = error else {
            Issue.record("expected invalidChunks, got \(String(describing: error))")
            return
        }
        #expect(shape == [5])
        #expect(chunks == "[[2, 2]]")
        #expect(reason.contains("4"), "the reason should name the wrong sum: \(reason)")
    }

    @Test func negativeShapeThrowsInvalidShape() {
        #expect(throws: BlockArrayError.invalidShape([3, -1])) {
            try Chunks(shape: [3, -1], spec: 2)
        }
        #expect(throws: BlockArrayError.invalidShape([-2])) {
            try BlockArray.zeros([-2], chunks: 2)
        }
    }

    @Test func creationRoutinesValidateChunks() {
        expectError("invalidChunks") { try BlockArray.ones([4, 4], chunks: 0) }
        expectError("invalidChunks") { try BlockArray.random([4, 4], chunks: [2]) }
    }
}
