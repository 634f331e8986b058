import BlockArray
import Foundation
import Testing

/// Elementwise operations and NumPy broadcasting, against the dense reference over several chunkings.
@Suite struct ElementwiseTests {
    static let shape = [7, 10]
    static let specs: [ChunkSpec] = [.uniform(3), .uniform(1), .uniform(-1), .perAxis([2, -1]), .explicit([[1, 6], [4, 4, 2]])]

    /// Mixed-sign test data, and a second operand equal to it at every third element (ties for comparisons).
    static let a = sample(shape)
    static let b = Reference.make(shape) { i in
        let k = Reference.flat(i, ElementwiseTests.shape)
        return k % 3 == 0 ? ElementwiseTests.a.storage[k] : sample(ElementwiseTests.shape, seed: 1).storage[k]
    }
    static let positive = sample(shape, seed: 2, in: 0.1..<3)

    @Test(arguments: UnaryOperation.allCases, specs)
    func unaryOperation(op: UnaryOperation, spec: ChunkSpec) throws {
        for input in [Self.a, Self.positive] {
            let result = try lazy(input, spec).apply(op).compute()
            expectClose(result, Reference.unary(op, input), "\(op)")
        }
    }

    @Test func namedUnaryMethodsMatchApply() throws {
        let x = try lazy(Self.positive, 4)
        let methods: [(UnaryOperation, BlockArray)] = [
            (.abs, x.abs()), (.sqrt, x.sqrt()), (.exp, x.exp()), (.log, x.log()), (.sin, x.sin()),
            (.cos, x.cos()), (.tan, x.tan()), (.tanh, x.tanh()), (.negate, -x),
        ]
        for (op, lazyResult) in methods {
            expectClose(try lazyResult.compute(), Reference.unary(op, Self.positive), "\(op)")
        }
    }

    @Test(arguments: BinaryOperation.allCases, specs)
    func binaryOperation(op: BinaryOperation, spec: ChunkSpec) throws {
        let x = try lazy(Self.a, spec), y = try lazy(Self.b, spec)
        expectClose(try BlockArray.apply(op, x, y).compute(), Reference.binary(op, Self.a, Self.b)!, "\(op) arrays")
        let f = Reference.scalar(op)
        for scalar in [2.5, -1.0, 0.0] {
            expectClose(try x.apply(op, scalar).compute(), Reference.map(Self.a) { f($0, scalar) }, "\(op) scalar right")
            expectClose(try x.apply(op, scalarOnLeft: scalar).compute(), Reference.map(Self.a) { f(scalar, $0) }, "\(op) scalar left")
        }
    }

    @Test(arguments: specs)
    func arithmeticOperators(spec: ChunkSpec) throws {
        let x = try lazy(Self.a, spec), y = try lazy(Self.b, .uniform(2))
        let (a, b) = (Self.a, Self.b)
        expectClose(try (x + y).compute(), Reference.binary(.add, a, b)!)
        expectClose(try (x - y).compute(), Reference.binary(.subtract, a, b)!)
        expectClose(try (x * y).compute(), Reference.binary(.multiply, a, b)!)
        expectClose(try (x / y).compute(), Reference.binary(.divide, a, b)!)
        expectClose(try (x + 1.5).compute(), Reference.map(a) { $0 + 1.5 })
        expectClose(try (x - 1.5).compute(), Reference.map(a) { $0 - 1.5 })
        expectClose(try (x * 1.5).compute(), Reference.map(a) { $0 * 1.5 })
        expectClose(try (x / 1.5).compute(), Reference.map(a) { $0 / 1.5 })
        expectClose(try (1.5 + x).compute(), Reference.map(a) { 1.5 + $0 })
        expectClose(try (1.5 - x).compute(), Reference.map(a) { 1.5 - $0 })
        expectClose(try (1.5 * x).compute(), Reference.map(a) { 1.5 * $0 })
        expectClose(try (1.5 / x).compute(), Reference.map(a) { 1.5 / $0 })
        expectClose(try (-x).compute(), Reference.map(a) { -$0 })
        // A longer expression mixing all of them.
        let expression = try ((x * 2 - y) / (1 + x.abs()) + -y) * 0.5
        let expected = Reference.make(Self.shape) { i in ((2 * a[i] - b[i]) / (1 + Swift.abs(a[i])) + -b[i]) * 0.5 }
        expectClose(try expression.compute(), expected)
    }

    @Test(arguments: specs)
    func comparisonOperators(spec: ChunkSpec) throws {
        let x = try lazy(Self.a, spec), y = try lazy(Self.b, .perAxis([3, 5]))
        let (a, b) = (Self.a, Self.b)
        let cases: [(BlockArray, BinaryOperation)] = [
            (try x .< y, .less), (try x .<= y, .lessEqual), (try x .> y, .greater),
            (try x .>= y, .greaterEqual), (try x .== y, .equal), (try x .!= y, .notEqual),
        ]
        for (result, op) in cases {
            let expected = Reference.binary(op, a, b)!
            #expect(try result.compute() == expected, "\(op)")
            #expect(expected.storage.contains(1) && expected.storage.contains(0), "\(op) data should give both outcomes")
        }
        let t = a.storage[4]
        let scalarCases: [(BlockArray, (Double, Double) -> Bool)] = [
            (x .< t, { $0 < $1 }), (x .<= t, { $0 <= $1 }), (x .> t, { $0 > $1 }),
            (x .>= t, { $0 >= $1 }), (x .== t, { $0 == $1 }), (x .!= t, { $0 != $1 }),
        ]
        for (result, predicate) in scalarCases {
            #expect(try result.compute() == Reference.map(a) { predicate($0, t) ? 1 : 0 })
        }
    }

    @Test func comparisonsWithNaNAreFalseExceptNotEqual() throws {
        let dense = try DenseArray(shape: [3], storage: [.nan, 1, .nan])
        let x = try lazy(dense, 2), y = try lazy(try DenseArray(shape: [3], storage: [.nan, .nan, 0]), 1)
        #expect(try (x .== y).compute().storage == [0, 0, 0])
        #expect(try (x .!= y).compute().storage == [1, 1, 1])
        #expect(try (x .< y).compute().storage == [0, 0, 0])
        #expect(try (x .>= y).compute().storage == [0, 0, 0])
    }

    @Test(arguments: specs)
    func powerMaximumMinimumClip(spec: ChunkSpec) throws {
        let x = try lazy(Self.a, spec), p = try lazy(Self.positive, spec), y = try lazy(Self.b, 3)
        for exponent in [2.0, 3.0, 0.5, -1.0, 0.0] {
            expectClose(try x.power(exponent).compute(), Reference.map(Self.a) { Foundation.pow($0, exponent) }, "x ** \(exponent)")
        }
        expectClose(try p.power(y).compute(), Reference.binary(.power, Self.positive, Self.b)!)
        expectClose(try x.maximum(y).compute(), Reference.binary(.maximum, Self.a, Self.b)!)
        expectClose(try x.minimum(y).compute(), Reference.binary(.minimum, Self.a, Self.b)!)
        expectClose(try x.maximum(0.25).compute(), Reference.map(Self.a) { Swift.max($0, 0.25) })
        expectClose(try x.minimum(0.25).compute(), Reference.map(Self.a) { Swift.min($0, 0.25) })
        expectClose(try x.clip(-0.5, 1).compute(), Reference.map(Self.a) { Swift.min(Swift.max($0, -0.5), 1) })
    }

    @Test func maximumMinimumAndClipPropagateNaN() throws {
        let x = try lazy(try DenseArray(shape: [4], storage: [.nan, 1, 5, -3]), 3)
        let y = try lazy(try DenseArray(shape: [4], storage: [0, .nan, 2, -4]), 2)
        let maximum = try x.maximum(y).compute().storage
        #expect(maximum[0].isNaN && maximum[1].isNaN && Array(maximum[2...]) == [5, -3])
        let minimum = try x.minimum(y).compute().storage
        #expect(minimum[0].isNaN && minimum[1].isNaN && Array(minimum[2...]) == [2, -4])
        let clipped = try x.clip(0, 2).compute().storage
        #expect(clipped[0].isNaN && Array(clipped[1...]) == [1, 2, 0])
    }

    @Test(arguments: specs)
    func whereSelects(spec: ChunkSpec) throws {
        let x = try lazy(Self.a, spec), y = try lazy(Self.b, .uniform(4))
        let condition = x .> 0
        expectClose(try BlockArray.where(condition, x, y).compute(),
                    Reference.select(Reference.map(Self.a) { $0 > 0 ? 1 : 0 }, Self.a, Self.b)!)
        expectClose(try BlockArray.where(condition, 1.5, -2).compute(), Reference.map(Self.a) { $0 > 0 ? 1.5 : -2 })
        // Any non-zero condition value counts as true.
        expectClose(try BlockArray.where(y, x, -x).compute(), Reference.make(Self.shape) { Self.b[$0] != 0 ? Self.a[$0] : -Self.a[$0] })
    }

    @Test func whereBroadcastsAllThree() throws {
        let condition = Reference.make([4, 1]) { Double($0[0] % 2) }
        let a = sample([3]), b = DenseArray(scalar: -7)
        let result = try BlockArray.where(try lazy(condition, 2), try lazy(a, 2), try lazy(b, 1)).compute()
        #expect(result.shape == [4, 3])
        expectClose(result, Reference.select(condition, a, b)!)
        expectError("shapeMismatch") {
            try BlockArray.where(try lazy(sample([4, 2]), 2), try lazy(a, 2), try lazy(b, 1))
        }
    }

    /// Blocks larger than the evaluator's tile, with a ragged tail, through temporaries, constants and selects.
    @Test(arguments: [ChunkSpec.uniform(-1), .perAxis([33, 67]), .perAxis([50, 31])])
    func largeBlocksSpanSeveralTiles(spec: ChunkSpec) throws {
        let a = sample([50, 67]), b = sample([50, 67], seed: 1), row = sample([67], seed: 2)
        let x = try lazy(a, spec), y = try lazy(b, spec), r = try lazy(row, 16)
        let expression = try BlockArray.where(x .> y, (x * y - 2).sin(), (x + r).power(2) / (1 + y.abs())) * 3 - r
        let expected = Reference.make([50, 67]) { i -> Double in
            let (p, q, w) = (a[i], b[i], row[[i[1]]])
            return (p > q ? Foundation.sin(p * q - 2) : Foundation.pow(p + w, 2) / (1 + Swift.abs(q))) * 3 - w
        }
        expectClose(try expression.compute(), expected)
        expectClose(try expression.compute(options: OptimizationOptions(fuse: false)), expected)
    }

    /// sin and cos of one operand share a sincos call; of different operands, they do not.
    @Test func sinAndCosOfOneOperandAgreeWithLibm() throws {
        let a = sample([40, 70]).storage.map { $0 * 40 - 20 }
        let x = try lazy(try DenseArray(shape: [40, 70], storage: a), [16, 64])
        let shared = try (x.sin().power(2) + x.cos() * 3 - (x * 2).cos()).compute()
        let expected = a.map { Foundation.pow(Foundation.sin($0), 2) + Foundation.cos($0) * 3 - Foundation.cos($0 * 2) }
        expectClose(shared, try DenseArray(shape: [40, 70], storage: expected))
    }

    @Test func whereTreatsNaNConditionAsTrue() throws {
        let condition = try lazy(try DenseArray(shape: [4], storage: [.nan, 0, 2, -0.0]), 3)
        let result = try BlockArray.where(condition, try lazy(DenseArray(shape: [4], repeating: 1), 2),
                                          try lazy(DenseArray(shape: [4], repeating: -1), 4)).compute()
        #expect(result.storage == [1, -1, 1, -1])
    }

    @Test func emptyOperands() throws {
        let empty = try BlockArray.zeros([0, 3], chunks: 2)
        let sum = try empty + lazy(sample([3]), 2)
        #expect(sum.shape == [0, 3])
        #expect(try sum.compute().shape == [0, 3])
        #expect(try (empty * 2).sin().compute().storage.isEmpty)
    }

    static let broadcastCases: [([Int], [Int])] = [
        ([4, 1], [3]), ([2, 3, 4], [4]), ([3, 1, 5], [1, 4, 1]), ([5], []), ([], [2, 3]),
        ([1, 1], [6, 7]), ([2, 1, 3], [2, 4, 1]), ([6, 1], [1, 1]), ([1], [5]),
    ]

    @Test(arguments: broadcastCases)
    func broadcasting(shapeA: [Int], shapeB: [Int]) throws {
        let a = sample(shapeA), b = sample(shapeB, seed: 3)
        let expectedShape = Reference.broadcastShape([shapeA, shapeB])!
        for (specA, specB) in [(ChunkSpec.uniform(2), ChunkSpec.uniform(3)), (.uniform(-1), .uniform(1)), (.uniform(1), .uniform(-1))] {
            let x = try lazy(a, specA), y = try lazy(b, specB)
            for op in [BinaryOperation.add, .subtract, .multiply, .divide, .maximum, .less] {
                let result = try BlockArray.apply(op, x, y)
                #expect(result.shape == expectedShape)
                #expect(result.chunks.shape == expectedShape)
                expectClose(try result.compute(), Reference.binary(op, a, b)!, "\(op) \(shapeA) \(shapeB) \(specA) \(specB)")
            }
            expectClose(try (y * x).compute(), Reference.binary(.multiply, b, a)!, "reversed operands")
        }
    }

    @Test(arguments: [([3, 4], [4, 3]), ([5], [4]), ([2, 3], [3, 2]), ([2, 3, 4], [3, 3]), ([2, 1], [3, 4])])
    func mismatchedShapesThrow(shapeA: [Int], shapeB: [Int]) throws {
        let x = try lazy(sample(shapeA), 2), y = try lazy(sample(shapeB), 2)
        expectError("shapeMismatch") { try x + y }
        expectError("shapeMismatch") { try x .< y }
        expectError("shapeMismatch") { try x.maximum(y) }
        expectError("shapeMismatch") { try BlockArray.apply(.power, y, x) }
    }

    /// Operands split differently are brought to common chunks; the values do not change.
    @Test(arguments: [
        (ChunkSpec.explicit([[3, 5], [2, 7]]), ChunkSpec.uniform(4)),
        (.uniform(1), .uniform(-1)),
        (.perAxis([5, 2]), .perAxis([2, 5])),
        (.explicit([[1, 1, 6], [9]]), .explicit([[6, 1, 1], [1, 8]])),
    ])
    func differentChunkingsAreUnified(specA: ChunkSpec, specB: ChunkSpec) throws {
        let a = sample([8, 9]), b = sample([8, 9], seed: 4), column = sample([8, 1], seed: 5)
        let x = try lazy(a, specA), y = try lazy(b, specB)
        let sum = try x + y
        #expect(sum.chunks.shape == [8, 9])
        expectClose(try sum.compute(), Reference.binary(.add, a, b)!)
        let three = try (x * y) - (try lazy(column, .explicit([[5, 3], [1]])))
        expectClose(try three.compute(), Reference.binary(.subtract, Reference.binary(.multiply, a, b)!, column)!)
        expectClose(try BlockArray.where(x .> 0, y, x).compute(), Reference.make([8, 9]) { a[$0] > 0 ? b[$0] : a[$0] })
    }
}
