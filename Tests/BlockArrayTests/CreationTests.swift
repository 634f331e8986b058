import BlockArray
import Foundation
import Testing

/// Creation routines: counter-based random arrays, constants, ranges, identity, functions, in-memory data.
@Suite struct CreationTests {
    // MARK: Philox4x32-10

    /// Known-answer vectors from Random123's `kat_vectors` for philox4x32_10.
    @Test(arguments: [
        (UInt64(0), [UInt32(0), 0, 0, 0], [UInt32(0x6627_e8d5), 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8]),
        (UInt64.max, [UInt32.max, .max, .max, .max], [UInt32(0x408f_276d), 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd]),
        (UInt64(0x299f_31d0) << 32 | 0xa409_3822, [UInt32(0x243f_6a88), 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344],
         [UInt32(0xd16c_fe09), 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1]),
    ])
    func philoxKnownAnswers(seed: UInt64, counter: [UInt32], expected: [UInt32]) {
        let generator = Philox4x32(seed: seed)
        let r = generator.block((counter[0], counter[1], counter[2], counter[3]))
        #expect([r.0, r.1, r.2, r.3] == expected)
    }

    @Test func philoxKeyIsLowThenHighWordOfSeed() {
        let generator = Philox4x32(seed: 0x1122_3344_5566_7788)
        #expect(generator.key.0 == 0x5566_7788)
        #expect(generator.key.1 == 0x1122_3344)
    }

    /// Element 2p and 2p+1 of `random` come from counter p: the first two elements
    /// of seed 0 are the top 53 bits of the first KAT output's word pairs.
    @Test func randomDrawsFromPhiloxCounterOfTheElementPair() throws {
        let values = try BlockArray.random([2], chunks: 1, seed: 0).compute().storage
        func unit(_ high: UInt32, _ low: UInt32) -> Double {
            Double((UInt64(high) << 32 | UInt64(low)) >> 11) * 0x1p-53
        }
        #expect(values == [unit(0x6627_e8d5, 0xe169_c58d), unit(0xbc57_ac4c, 0x9b00_dbd8)])
    }

    // MARK: Random arrays

    static let randomCases: [([Int], [ChunkSpec])] = [
        ([37], [.uniform(37), .uniform(5), .uniform(1), .explicit([[1, 30, 6]])]),
        ([9, 13], [.uniform(-1), .uniform(4), .perAxis([2, 13]), .perAxis([9, 1]), .explicit([[5, 4], [1, 11, 1]])]),
        ([4, 5, 6], [.uniform(-1), .uniform(3), .perAxis([1, 2, 5]), .uniform(1)]),
    ]

    @Test(arguments: randomCases)
    func randomIsIdenticalForEveryChunking(shape: [Int], specs: [ChunkSpec]) throws {
        let reference = try BlockArray.random(shape, chunks: specs[0], seed: 42).compute()
        #expect(reference.shape == shape)
        for spec in specs.dropFirst() {
            let other = try BlockArray.random(shape, chunks: spec, seed: 42).compute()
            #expect(other == reference, "chunks \(spec)")
        }
    }

    @Test(arguments: randomCases)
    func normalIsIdenticalForEveryChunking(shape: [Int], specs: [ChunkSpec]) throws {
        let reference = try BlockArray.normal(shape, chunks: specs[0], seed: 7).compute()
        for spec in specs.dropFirst() {
            let other = try BlockArray.normal(shape, chunks: spec, seed: 7).compute()
            #expect(other == reference, "chunks \(spec)")
        }
    }

    /// A block is a window onto the one global stream: slicing the whole array gives the block.
    @Test func randomBlockMatchesTheSameWindowOfALargerChunking() throws {
        let whole = try BlockArray.random([6, 8], chunks: -1, seed: 3).compute()
        let blocked = try BlockArray.random([6, 8], chunks: [4, 3], seed: 3).compute()
        #expect(blocked == whole)
        let window = Reference.slice(whole, [.slice(start: 4, stop: 6, step: nil), .slice(start: 3, stop: 6, step: nil)])!
        let part = try BlockArray.random([6, 8], chunks: [4, 3], seed: 3)
            .slice([.slice(start: 4, stop: nil, step: nil), .slice(start: 3, stop: 6, step: nil)]).compute()
        #expect(part == window)
    }

    @Test func differentSeedsGiveDifferentValues() throws {
        let a = try BlockArray.random([100], chunks: 10, seed: 1).compute()
        let b = try BlockArray.random([100], chunks: 10, seed: 2).compute()
        let c = try BlockArray.random([100], chunks: 10, seed: 1 << 32).compute()
        #expect(zip(a.storage, b.storage).filter { $0 == $1 }.count == 0)
        #expect(zip(a.storage, c.storage).filter { $0 == $1 }.count == 0)
        let n1 = try BlockArray.normal([100], chunks: 10, seed: 1).compute()
        let n2 = try BlockArray.normal([100], chunks: 10, seed: 2).compute()
        #expect(zip(n1.storage, n2.storage).filter { $0 == $1 }.count == 0)
    }

    @Test func sameSeedIsReproducible() throws {
        let a = try BlockArray.random([50, 3], chunks: 7, seed: 99).compute()
        let b = try BlockArray.random([50, 3], chunks: 7, seed: 99).compute()
        #expect(a == b)
    }

    @Test func uniformAndNormalStreamsAreIndependent() throws {
        let u = try BlockArray.random([1000], chunks: 100, seed: 5).compute().storage
        let z = try BlockArray.normal([1000], chunks: 100, seed: 5).compute().storage
        // Correlation of u with z is near 0 for independent streams (|r| < 0.1 is ~3 sigma).
        let mu = u.reduce(0, +) / 1000, mz = z.reduce(0, +) / 1000
        let cov = zip(u, z).map { ($0 - mu) * ($1 - mz) }.reduce(0, +)
        let su = u.map { ($0 - mu) * ($0 - mu) }.reduce(0, +).squareRoot()
        let sz = z.map { ($0 - mz) * ($0 - mz) }.reduce(0, +).squareRoot()
        #expect(Swift.abs(cov / (su * sz)) < 0.1)
    }

    @Test func randomIsUniformOnTheUnitInterval() throws {
        let values = try BlockArray.random([100_000], chunks: 8192, seed: 11).compute().storage
        #expect(values.allSatisfy { $0 >= 0 && $0 < 1 })
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
        #expect(Swift.abs(mean - 0.5) < 0.005)
        #expect(Swift.abs(variance - 1.0 / 12) < 0.002)
        // Each tenth of [0, 1) holds about a tenth of the values.
        var bins = [Int](repeating: 0, count: 10)
        for v in values { bins[Int(v * 10)] += 1 }
        #expect(bins.allSatisfy { Swift.abs($0 - 10_000) < 500 }, "\(bins)")
        #expect(Set(values).count > 99_990)
    }

    @Test func normalHasZeroMeanAndUnitDeviation() throws {
        let values = try BlockArray.normal([100_000], chunks: 10_000, seed: 12).compute().storage
        #expect(values.allSatisfy { $0.isFinite })
        let mean = values.reduce(0, +) / Double(values.count)
        let std = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
        #expect(Swift.abs(mean) < 0.02)
        #expect(Swift.abs(std - 1) < 0.02)
        // About 68.3% within one standard deviation.
        let within = Double(values.filter { Swift.abs($0) < 1 }.count) / Double(values.count)
        #expect(Swift.abs(within - 0.6827) < 0.01)
    }

    @Test func normalWithMeanAndDeviationIsAnAffineMapOfTheStandardOne() throws {
        let standard = try BlockArray.normal([40], chunks: 7, seed: 3).compute()
        let shifted = try BlockArray.normal([40], chunks: 7, seed: 3, mean: 3, standardDeviation: 2).compute()
        expectClose(shifted, Reference.map(standard) { 3 + 2 * $0 })
    }

    @Test func normalRejectsNegativeDeviation() {
        expectError("invalidArgument") { try BlockArray.normal([3], chunks: 1, standardDeviation: -1) }
    }

    // MARK: Constants, ranges, identity

    @Test(arguments: [ChunkSpec.uniform(2), .uniform(-1), .perAxis([1, 3])])
    func constants(spec: ChunkSpec) throws {
        #expect(try BlockArray.ones([3, 5], chunks: spec).compute() == DenseArray(shape: [3, 5], repeating: 1))
        #expect(try BlockArray.zeros([3, 5], chunks: spec).compute() == DenseArray(shape: [3, 5], repeating: 0))
        #expect(try BlockArray.full([3, 5], -2.5, chunks: spec).compute() == DenseArray(shape: [3, 5], repeating: -2.5))
        let empty = try BlockArray.zeros([0, 5], chunks: spec).compute()
        #expect(empty.shape == [0, 5])
        #expect(empty.storage.isEmpty)
    }

    @Test func zeroDimensionalFull() throws {
        let x = try BlockArray.full([], 4.5, chunks: 1)
        #expect(x.shape == [])
        #expect(try x.computeScalar() == 4.5)
    }

    /// NumPy's arange: ceil((stop - start) / step) values `start + i * step`.
    @Test(arguments: [
        (0.0, 10.0, 3.0), (5, 0, -2), (0, 1, 0.1), (-3, 3, 1), (3, 3, 1), (5, 0, 1), (0, 5, -1), (1.5, 7.25, 0.75),
    ])
    func arange(start: Double, stop: Double, step: Double) throws {
        let count = Swift.max(0, Int(((stop - start) / step).rounded(.up)))
        let expected = try DenseArray(shape: [count], storage: (0..<count).map { start + Double($0) * step })
        for spec in [ChunkSpec.uniform(3), .uniform(-1)] {
            #expect(try BlockArray.arange(start, stop, step: step, chunks: spec).compute() == expected)
        }
    }

    @Test func arangeHandValues() throws {
        #expect(try BlockArray.arange(0, 10, step: 3, chunks: 2).compute().storage == [0, 3, 6, 9])
        #expect(try BlockArray.arange(5, 0, step: -2, chunks: 2).compute().storage == [5, 3, 1])
        #expect(try BlockArray.arange(0, 4, chunks: 3).compute().storage == [0, 1, 2, 3])
        #expect(try BlockArray.arange(0, 1, step: 0.1, chunks: 4).compute().count == 10)
    }

    @Test func arangeRejectsZeroOrInfiniteStep() {
        expectError("invalidArgument") { try BlockArray.arange(0, 1, step: 0, chunks: 1) }
        expectError("invalidArgument") { try BlockArray.arange(0, .infinity, chunks: 1) }
    }

    @Test func linspace() throws {
        #expect(try BlockArray.linspace(0, 1, count: 5, chunks: 2).compute().storage == [0, 0.25, 0.5, 0.75, 1])
        expectClose(try BlockArray.linspace(0, 1, count: 5, endpoint: false, chunks: 3).compute(),
                    try DenseArray(shape: [5], storage: [0, 0.2, 0.4, 0.6, 0.8]), tolerance: 1e-15)
        #expect(try BlockArray.linspace(2, 3, count: 1, chunks: 1).compute().storage == [2])
        #expect(try BlockArray.linspace(2, 3, count: 0, chunks: 1).compute().shape == [0])
        #expect(try BlockArray.linspace(3, -1, count: 3, chunks: -1).compute().storage == [3, 1, -1])
        expectError("invalidArgument") { try BlockArray.linspace(0, 1, count: -1, chunks: 1) }
    }

    @Test func linspaceIsEvenlySpacedAndHitsTheEnd() throws {
        let values = try BlockArray.linspace(-1, 2, count: 31, chunks: 4).compute().storage
        #expect(values.first == -1)
        #expect(values.last == 2)
        for (i, v) in values.enumerated() { #expect(close(v, -1 + 0.1 * Double(i), tolerance: 1e-14, scale: 2)) }
    }

    @Test(arguments: [
        (4, Int?.none, 0), (3, 5, 1), (5, 3, -2), (4, 6, 5), (4, 4, -4), (6, 4, 3), (1, 1, 0),
    ])
    func eye(rows: Int, columns: Int?, k: Int) throws {
        let expected = Reference.make([rows, columns ?? rows]) { $0[1] - $0[0] == k ? 1 : 0 }
        for spec in [ChunkSpec.uniform(2), .uniform(-1), .perAxis([3, 1]), .uniform(1)] {
            #expect(try BlockArray.eye(rows, columns: columns, k: k, chunks: spec).compute() == expected, "chunks \(spec)")
        }
    }

    @Test(arguments: [ChunkSpec.uniform(2), .uniform(-1), .perAxis([1, 3, 2])])
    func fromFunction(spec: ChunkSpec) throws {
        let x = try BlockArray.fromFunction([3, 4, 5], chunks: spec, name: "index-code") { i in
            Double(100 * i[0] + 10 * i[1] + i[2])
        }
        #expect(try x.compute() == Reference.make([3, 4, 5]) { Double(100 * $0[0] + 10 * $0[1] + $0[2]) })
    }

    @Test(arguments: [ChunkSpec.uniform(2), .uniform(-1), .uniform(1), .explicit([[3, 4], [1, 1, 8]])])
    func fromArrayRoundTrips(spec: ChunkSpec) throws {
        let dense = sample([7, 10])
        let x = try lazy(dense, spec)
        #expect(x.shape == [7, 10])
        #expect(try x.compute() == dense)
    }

    @Test func fromArrayNamesDependOnContent() throws {
        let a = try lazy(sample([5]), 2), b = try lazy(sample([5]), 2), c = try lazy(sample([5], seed: 1), 2)
        #expect(a.name == b.name)
        #expect(a.name != c.name)
    }
}
