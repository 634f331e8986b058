import BlockArray
import Testing

/// The dense reference itself, against values worked out by hand (as NumPy and Python give them),
/// so a mistake shared by the reference and the library cannot hide.
@Suite struct ReferenceTests {
    @Test(arguments: [
        (s(10, 2, -3), [10, 7, 4]),
        (s(nil, nil, -1), Array((0..<13).reversed())),
        (s(-1, -14, -2), [12, 10, 8, 6, 4, 2, 0]),
        (s(100, nil, -2), [12, 10, 8, 6, 4, 2, 0]),
        (s(3, -3, 4), [3, 7]),
        (s(-100, 100), Array(0..<13)),
        (s(100), []),
        (s(nil, -100, -1), Array((0..<13).reversed())),
        (s(2, 11, 100), [2]),
        (s(-3), [10, 11, 12]),
        (s(5, 5), []),
    ])
    func pythonSlicePositions(index: AxisIndex, expected: [Int]) throws {
        guard case .slice(let start, let stop, let step) = index else { return }
        #expect(Reference.positions(start: start, stop: stop, step: step, extent: 13) == expected)
    }

    @Test func slicingDropsIntegerAxes() throws {
        let x = Reference.make([3, 4]) { Double($0[0] * 10 + $0[1]) }
        #expect(Reference.slice(x, [.index(-1)]) == (try DenseArray(shape: [4], storage: [20, 21, 22, 23])))
        #expect(Reference.slice(x, [.all, .index(1)]) == (try DenseArray(shape: [3], storage: [1, 11, 21])))
        #expect(Reference.slice(x, [.index(1), .index(2)]) == DenseArray(scalar: 12))
        #expect(Reference.slice(x, [.index(3)]) == nil)
    }

    @Test func broadcastingShapes() throws {
        #expect(Reference.broadcastShape([[4, 1], [3]]) == [4, 3])
        #expect(Reference.broadcastShape([[2, 3, 4], [4]]) == [2, 3, 4])
        #expect(Reference.broadcastShape([[], [2, 3]]) == [2, 3])
        #expect(Reference.broadcastShape([[3, 1, 5], [1, 4, 1]]) == [3, 4, 5])
        #expect(Reference.broadcastShape([[3, 4], [4, 3]]) == nil)
        let sum = Reference.binary(.add, try! DenseArray(shape: [2, 1], storage: [10, 20]),
                                   try! DenseArray(shape: [3], storage: [1, 2, 3]))!
        #expect(sum == (try DenseArray(shape: [2, 3], storage: [11, 12, 13, 21, 22, 23])))
    }

    @Test func reductionsByHand() throws {
        let x = try DenseArray(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])
        #expect(Reference.sum(x).storage == [21])
        #expect(Reference.sum(x).shape == [])
        #expect(Reference.sum(x, axes: [0]).storage == [5, 7, 9])
        #expect(Reference.sum(x, axes: [-1], keepDims: true) == (try DenseArray(shape: [2, 1], storage: [6, 15])))
        #expect(Reference.prod(x, axes: [1]).storage == [6, 120])
        #expect(Reference.mean(x, axes: [0]).storage == [2.5, 3.5, 4.5])
        #expect(Reference.variance(x).storage == [35.0 / 12])
        #expect(Reference.variance(x, ddof: 1).storage == [3.5])
        #expect(Reference.std(x, axes: [1], ddof: 1).storage == [1, 1])
        #expect(Reference.min(x, axes: [1]).storage == [1, 4])
        #expect(Reference.max(x, axes: [0]).storage == [4, 5, 6])
        let ties = try DenseArray(shape: [2, 3], storage: [5, 1, 1, 9, 9, 0])
        #expect(Reference.argmin(ties).storage == [5])
        #expect(Reference.argmax(ties).storage == [3])
        #expect(Reference.argmin(ties, axis: 1).storage == [1, 2])
        #expect(Reference.argmax(ties, axis: 0).storage == [1, 1, 0])
    }

    @Test func matmulByHand() throws {
        let a = try DenseArray(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])
        let b = try DenseArray(shape: [3, 2], storage: [7, 8, 9, 10, 11, 12])
        #expect(Reference.matmul(a, b) == (try DenseArray(shape: [2, 2], storage: [58, 64, 139, 154])))
        let v = try DenseArray(shape: [3], storage: [1, 0, -1])
        #expect(Reference.matmul(a, v) == (try DenseArray(shape: [2], storage: [-2, -2])))
        #expect(Reference.matmul(v, b) == (try DenseArray(shape: [2], storage: [-4, -4])))
        #expect(Reference.matmul(v, v) == DenseArray(scalar: 2))
        #expect(Reference.matmul(a, a) == nil)
    }

    @Test func structureByHand() throws {
        let x = try DenseArray(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])
        #expect(Reference.transpose(x) == (try DenseArray(shape: [3, 2], storage: [1, 4, 2, 5, 3, 6])))
        let y = try DenseArray(shape: [1, 3], storage: [7, 8, 9])
        #expect(Reference.concatenate([x, y], axis: 0).storage == [1, 2, 3, 4, 5, 6, 7, 8, 9])
        #expect(Reference.concatenate([x, x], axis: 1).storage == [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6])
        let stacked = Reference.stack([y, Reference.map(y) { $0 * 10 }], axis: -1)
        #expect(stacked == (try DenseArray(shape: [1, 3, 2], storage: [7, 70, 8, 80, 9, 90])))
    }

    @Test func padByHand() throws {
        let x = try DenseArray(shape: [3], storage: [1, 2, 3])
        #expect(Reference.pad(x, depth: [2], boundary: .periodic).storage == [2, 3, 1, 2, 3, 1, 2])
        #expect(Reference.pad(x, depth: [2], boundary: .reflect).storage == [2, 1, 1, 2, 3, 3, 2])
        #expect(Reference.pad(x, depth: [1], boundary: .constant(9)).storage == [9, 1, 2, 3, 9])
        #expect(Reference.pad(x, depth: [1], boundary: .none).storage == [1, 2, 3])
    }

    @Test func comparisonHelperCatchesDifferences() {
        let a = try! DenseArray(shape: [2], storage: [1, .nan])
        #expect(close(1, 1 + 1e-13))
        #expect(!close(1, 1 + 1e-11))
        #expect(close(.nan, .nan))
        #expect(!close(.nan, 0))
        #expect(close(1e-20, 2e-20))
        #expect(!close(1e-20, 2e-20, scale: 1e-20))
        withKnownIssue { expectClose(a, try! DenseArray(shape: [2], storage: [1, 0])) }
        withKnownIssue { expectClose(a, try! DenseArray(shape: [1, 2], storage: [1, .nan])) }
        expectClose(a, a)
    }
}
