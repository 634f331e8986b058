import BlockArray
import Foundation
import Testing

/// One slicing case: an array shape and the indices applied to it.
struct SliceCase: Sendable, CustomTestStringConvertible {
    let shape: [Int]
    let indices: [AxisIndex]
    var testDescription: String { "\(shape)\(indices)" }

    init(_ shape: [Int], _ indices: [AxisIndex]) {
        self.shape = shape
        self.indices = indices
    }
}

/// Shorthand for a Python slice `start:stop:step`.
func s(_ start: Int? = nil, _ stop: Int? = nil, _ step: Int? = nil) -> AxisIndex {
    .slice(start: start, stop: stop, step: step)
}

/// Transpose, rechunk, slicing, concatenate and stack: pure data movement, so results are exact.
@Suite struct StructureTests {
    // MARK: Transpose

    @Test(arguments: [nil, [1, 2, 0], [2, 0, 1], [0, 2, 1], [1, 0, 2], [-1, 0, 1], [0, 1, 2]] as [[Int]?],
          [ChunkSpec.uniform(2), .perAxis([1, 2, 3]), .uniform(-1), .explicit([[1, 1], [3], [4, 1]])])
    func transpose(axes: [Int]?, spec: ChunkSpec) throws {
        let dense = sample([2, 3, 5])
        let x = try lazy(dense, spec)
        let t = try x.transpose(axes)
        let expected = Reference.transpose(dense, axes)
        #expect(t.shape == expected.shape)
        #expect(try t.compute() == expected)
        // The chunks move with their axes.
        let resolved = (axes ?? [2, 1, 0]).map { $0 < 0 ? $0 + 3 : $0 }
        #expect(t.chunks.sizes == resolved.map { x.chunks.sizes[$0] })
    }

    @Test func dotTReversesAxes() throws {
        let dense = sample([4, 7])
        let x = try lazy(dense, [3, 2])
        #expect(x.T.shape == [7, 4])
        #expect(try x.T.compute() == Reference.transpose(dense))
        #expect(try x.T.T.compute() == dense)
        let cube = sample([2, 3, 4])
        #expect(try lazy(cube, 2).T.compute() == Reference.transpose(cube, [2, 1, 0]))
        let line = sample([5])
        #expect(try lazy(line, 2).T.compute() == line)
    }

    @Test func transposeFeedsOtherOperations() throws {
        let a = sample([4, 6]), b = sample([6, 4], seed: 1)
        let sum = try lazy(a, 3).T + lazy(b, 2)
        #expect(try sum.compute() == Reference.binary(.add, Reference.transpose(a), b)!)
    }

    @Test func badTransposeAxesThrow() throws {
        let x = try lazy(sample([2, 3, 4]), 2)
        expectError("invalidArgument") { try x.transpose([0, 1]) }
        expectError("invalidArgument") { try x.transpose([0, 0, 1]) }
        expectError("invalidAxis") { try x.transpose([0, 1, 3]) }
        expectError("invalidAxis") { try x.transpose([0, 1, -4]) }
    }

    // MARK: Rechunk

    static let rechunkSpecs: [ChunkSpec] = [
        .uniform(3), .uniform(1), .uniform(-1), .perAxis([4, 5]), .explicit([[1, 7, 1], [10, 1]]), .perAxis([-1, 2]),
    ]

    @Test(arguments: rechunkSpecs, rechunkSpecs)
    func rechunk(from: ChunkSpec, to: ChunkSpec) throws {
        let dense = sample([9, 11])
        let x = try lazy(dense, from).rechunk(to)
        #expect(x.chunks == (try Chunks(shape: [9, 11], spec: to)))
        #expect(try x.compute() == dense)
    }

    @Test func rechunkOfAComputedExpressionAndBack() throws {
        let dense = sample([6, 6, 6])
        let x = try (lazy(dense, 4) * 2).rechunk([1, 6, 2]).rechunk(5)
        #expect(x.chunks.sizes == [[5, 1], [5, 1], [5, 1]])
        #expect(try x.compute() == Reference.map(dense) { $0 * 2 })
    }

    @Test func rechunkRejectsBadChunks() throws {
        let x = try lazy(sample([5, 5]), 2)
        expectError("invalidChunks") { try x.rechunk(0) }
        expectError("invalidChunks") { try x.rechunk(.explicit([[5], [2, 2]])) }
    }

    // MARK: Slicing

    static let sliceCases: [SliceCase] = [
        SliceCase([13], [s(2, 9)]),
        SliceCase([13], [s(nil, nil, 2)]),
        SliceCase([13], [s(nil, nil, -1)]),
        SliceCase([13], [s(10, 2, -3)]),
        SliceCase([13], [s(-3)]),
        SliceCase([13], [s(-100, 100)]),
        SliceCase([13], [s(100)]),
        SliceCase([13], [s(5, 5)]),
        SliceCase([13], [s(nil, -100, -1)]),
        SliceCase([13], [s(100, nil, -2)]),
        SliceCase([13], [s(-1, -14, -2)]),
        SliceCase([13], [s(3, -3, 4)]),
        SliceCase([13], [s(2, 11, 100)]),
        SliceCase([13], [.index(-1)]),
        SliceCase([13], [.index(0)]),
        SliceCase([7, 10], []),
        SliceCase([7, 10], [.index(2)]),
        SliceCase([7, 10], [.all, .index(-3)]),
        SliceCase([7, 10], [s(1, 6, 2), s(nil, nil, -3)]),
        SliceCase([7, 10], [s(-2), s(3, 4)]),
        SliceCase([7, 10], [.index(6), s(9, 0, -4)]),
        SliceCase([7, 10], [s(nil, nil, -1), s(nil, nil, -1)]),
        SliceCase([7, 10], [s(3, 3), .all]),
        SliceCase([7, 10], [.index(-7), .index(9)]),
        SliceCase([7, 10], [s(6, 0, -2), s(2, 8)]),
        SliceCase([4, 5, 6], [.index(1), s(nil, nil, 2), .index(-1)]),
        SliceCase([4, 5, 6], [.all, .all, s(4, 0, -1)]),
        SliceCase([4, 5, 6], [s(nil, nil, 3)]),
        SliceCase([4, 5, 6], [s(1, 3), .index(4)]),
    ]

    @Test(arguments: sliceCases, [ChunkSpec.uniform(3), .uniform(1), .uniform(-1), .uniform(2)])
    func slice(c: SliceCase, spec: ChunkSpec) throws {
        let dense = sample(c.shape)
        let expected = try #require(Reference.slice(dense, c.indices))
        let result = try lazy(dense, spec).slice(c.indices)
        #expect(result.shape == expected.shape)
        #expect(try result.compute() == expected)
    }

    @Test func sliceOfALazyExpressionMatchesTheSliceOfItsValue() throws {
        let dense = sample([8, 9])
        let x = try lazy(dense, [3, 4]).exp() - 1
        let expected = Reference.slice(Reference.map(dense) { Foundation.exp($0) - 1 }, [s(7, 1, -2), s(1, nil, 3)])!
        expectClose(try x.slice([s(7, 1, -2), s(1, nil, 3)]).compute(), expected)
        // A slice of a slice.
        let twice = try x.slice([s(1, 7)]).slice([s(nil, nil, -2), .index(4)])
        expectClose(try twice.compute(), Reference.slice(Reference.slice(Reference.map(dense) { Foundation.exp($0) - 1 }, [s(1, 7)])!, [s(nil, nil, -2), .index(4)])!)
    }

    @Test func emptySliceHasZeroExtent() throws {
        let x = try lazy(sample([7, 10]), 3)
        let empty = try x.slice([s(5, 2), .all])
        #expect(empty.shape == [0, 10])
        let value = try empty.compute()
        #expect(value.shape == [0, 10])
        #expect(value.storage.isEmpty)
        #expect(try x.slice([.all, s(nil, nil, -1)]).slice([.all, s(20, 30)]).shape == [7, 0])
    }

    @Test func badIndicesThrow() throws {
        let x = try lazy(sample([7, 10]), 3)
        expectError("invalidArgument") { try x.slice([.index(7)]) }
        expectError("invalidArgument") { try x.slice([.index(-8)]) }
        expectError("invalidArgument") { try x.slice([.all, .index(10)]) }
        expectError("invalidArgument") { try x.slice([s(nil, nil, 0)]) }
        expectError("invalidArgument") { try x.slice([.all, .all, .all]) }
    }

    // MARK: Concatenate and stack

    @Test func concatenateAlongAxis0() throws {
        let a = sample([3, 4]), b = sample([5, 4], seed: 1), c = sample([1, 4], seed: 2)
        let result = try BlockArray.concatenate([lazy(a, 2), lazy(b, [3, 1]), lazy(c, -1)], axis: 0)
        #expect(result.shape == [9, 4])
        #expect(try result.compute() == Reference.concatenate([a, b, c], axis: 0))
    }

    @Test(arguments: [1, -1])
    func concatenateAlongAxis1(axis: Int) throws {
        let a = sample([3, 2]), b = sample([3, 5], seed: 1)
        let result = try BlockArray.concatenate([lazy(a, [1, 2]), lazy(b, 2)], axis: axis)
        #expect(result.shape == [3, 7])
        #expect(try result.compute() == Reference.concatenate([a, b], axis: 1))
    }

    @Test func concatenateThreeDimensionalAndRepeated() throws {
        let a = sample([2, 3, 4]), b = sample([2, 1, 4], seed: 1)
        let x = try lazy(a, 2)
        let result = try BlockArray.concatenate([x, lazy(b, 3), x], axis: 1)
        #expect(try result.compute() == Reference.concatenate([a, b, a], axis: 1))
        #expect(try BlockArray.concatenate([x], axis: 2).compute() == a)
    }

    /// NumPy lets an empty piece join; the result's chunks still follow the rules (no empty blocks on a non-empty axis).
    @Test func concatenateWithAnEmptyPiece() throws {
        let a = sample([3, 4])
        let result = try BlockArray.concatenate([BlockArray.zeros([0, 4], chunks: 2), lazy(a, 2)], axis: 0)
        #expect(result.shape == [3, 4])
        #expect(try result.compute() == a)
        #expect(throws: Never.self) { try Chunks(shape: result.shape, spec: .explicit(result.chunks.sizes)) }
        // Such an array must still be usable by operations that rechunk to its own chunks.
        #expect(try BlockArray.stack([result, result], axis: 0).compute() == Reference.stack([a, a], axis: 0))
        #expect(try BlockArray.concatenate([result, lazy(a, 3)], axis: 1).compute() == Reference.concatenate([a, a], axis: 1))
    }

    @Test func concatenateRejectsMismatches() throws {
        let x = try lazy(sample([3, 4]), 2), y = try lazy(sample([3, 5]), 2), z = try lazy(sample([3]), 2)
        expectError("shapeMismatch") { try BlockArray.concatenate([x, y], axis: 0) }
        expectError("shapeMismatch") { try BlockArray.concatenate([x, z], axis: 0) }
        expectError("invalidAxis") { try BlockArray.concatenate([x, x], axis: 2) }
        expectError("invalidArgument") { try BlockArray.concatenate([], axis: 0) }
        // Concatenating along the mismatched axis is fine.
        #expect(try BlockArray.concatenate([x, y], axis: 1).shape == [3, 9])
    }

    @Test(arguments: [0, 1, 2, -1, -3])
    func stack(axis: Int) throws {
        let a = sample([3, 4]), b = sample([3, 4], seed: 1), c = sample([3, 4], seed: 2)
        let result = try BlockArray.stack([lazy(a, 2), lazy(b, [1, 3]), lazy(c, -1)], axis: axis)
        let expected = Reference.stack([a, b, c], axis: axis)
        #expect(result.shape == expected.shape)
        #expect(try result.compute() == expected)
    }

    @Test func stackRejectsMismatches() throws {
        let x = try lazy(sample([3, 4]), 2), y = try lazy(sample([4, 3]), 2)
        expectError("shapeMismatch") { try BlockArray.stack([x, y]) }
        expectError("invalidAxis") { try BlockArray.stack([x, x], axis: 3) }
        expectError("invalidAxis") { try BlockArray.stack([x, x], axis: -4) }
        expectError("invalidArgument") { try BlockArray.stack([], axis: 0) }
    }
}
