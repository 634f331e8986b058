import BlockArray
import Foundation
import Testing

/// A naive, obviously-correct reference for every BlockArray operation, over `DenseArray`.
///
/// Everything here loops over multi-indices one element at a time and follows
/// NumPy's semantics; nothing is shared with the library's kernels.
enum Reference {
    // MARK: Indexing

    /// Number of elements of `shape`.
    static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    /// Every multi-index of `shape` in row-major order (`[[]]` for a 0-d shape).
    static func indices(_ shape: [Int]) -> [[Int]] {
        var result: [[Int]] = [[]]
        for extent in shape {
            result = result.flatMap { prefix in (0..<extent).map { prefix + [$0] } }
        }
        return result
    }

    /// Row-major flat position of `index` in `shape`.
    static func flat(_ index: [Int], _ shape: [Int]) -> Int {
        zip(index, shape).reduce(0) { $0 * $1.1 + $1.0 }
    }

    /// An array of `shape` whose element at each multi-index is `element(index)`.
    static func make(_ shape: [Int], _ element: ([Int]) -> Double) -> DenseArray {
        try! DenseArray(shape: shape, storage: indices(shape).map(element))
    }

    // MARK: Elementwise

    /// NumPy's scalar semantics of each unary operation.
    static func scalar(_ op: UnaryOperation) -> (Double) -> Double {
        switch op {
        case .negate: return { -$0 }
        case .abs: return { Swift.abs($0) }
        case .sqrt: return { Foundation.sqrt($0) }
        case .exp: return { Foundation.exp($0) }
        case .log: return { Foundation.log($0) }
        case .sin: return { Foundation.sin($0) }
        case .cos: return { Foundation.cos($0) }
        case .tan: return { Foundation.tan($0) }
        case .tanh: return { Foundation.tanh($0) }
        case .isnan: return { $0.isNaN ? 1 : 0 }
        case .isfinite: return { $0.isFinite ? 1 : 0 }
        case .logicalNot: return { $0 == 0 ? 1 : 0 }
        }
    }

    /// NumPy's scalar semantics of each binary operation (comparisons give 1 or 0; maximum/minimum propagate NaN).
    static func scalar(_ op: BinaryOperation) -> (Double, Double) -> Double {
        switch op {
        case .add: return { $0 + $1 }
        case .subtract: return { $0 - $1 }
        case .multiply: return { $0 * $1 }
        case .divide: return { $0 / $1 }
        case .power: return { Foundation.pow($0, $1) }
        case .maximum: return { $0.isNaN || $1.isNaN ? .nan : ($0 >= $1 ? $0 : $1) }
        case .minimum: return { $0.isNaN || $1.isNaN ? .nan : ($0 <= $1 ? $0 : $1) }
        case .less: return { $0 < $1 ? 1 : 0 }
        case .lessEqual: return { $0 <= $1 ? 1 : 0 }
        case .greater: return { $0 > $1 ? 1 : 0 }
        case .greaterEqual: return { $0 >= $1 ? 1 : 0 }
        case .equal: return { $0 == $1 ? 1 : 0 }
        case .notEqual: return { $0 != $1 ? 1 : 0 }
        // x - floor(x / y) * y, Python's definition; NumPy's np.mod agrees with it but for rounding.
        case .mod: return { $1 == 0 ? .nan : $0 - ($0 / $1).rounded(.down) * $1 }
        case .logicalAnd: return { $0 != 0 && $1 != 0 ? 1 : 0 }
        case .logicalOr: return { $0 != 0 || $1 != 0 ? 1 : 0 }
        }
    }

    static func map(_ x: DenseArray, _ f: (Double) -> Double) -> DenseArray {
        try! DenseArray(shape: x.shape, storage: x.storage.map(f))
    }

    static func unary(_ op: UnaryOperation, _ x: DenseArray) -> DenseArray { map(x, scalar(op)) }

    /// The NumPy broadcast shape of `shapes`, or nil when they do not broadcast.
    static func broadcastShape(_ shapes: [[Int]]) -> [Int]? {
        let rank = shapes.map(\.count).max() ?? 0
        var result: [Int] = []
        for axis in 0..<rank {
            // Extents aligned on the right; a missing axis counts as 1.
            let extents = shapes.map { shape in
                let local = axis - (rank - shape.count)
                return local >= 0 ? shape[local] : 1
            }
            let big = Set(extents.filter { $0 != 1 })
            if big.count > 1 { return nil }
            result.append(big.first ?? 1)
        }
        return result
    }

    /// The element of `x` that lands on output `index` under broadcasting.
    static func element(_ x: DenseArray, broadcastAt index: [Int]) -> Double {
        let shift = index.count - x.rank
        return x[(0..<x.rank).map { x.shape[$0] == 1 ? 0 : index[$0 + shift] }]
    }

    /// `f` applied elementwise to broadcast operands, or nil when the shapes do not broadcast.
    static func broadcast(_ operands: [DenseArray], _ f: ([Double]) -> Double) -> DenseArray? {
        guard let shape = broadcastShape(operands.map(\.shape)) else { return nil }
        return make(shape) { index in f(operands.map { element($0, broadcastAt: index) }) }
    }

    static func binary(_ op: BinaryOperation, _ a: DenseArray, _ b: DenseArray) -> DenseArray? {
        let f = scalar(op)
        return broadcast([a, b]) { f($0[0], $0[1]) }
    }

    /// NumPy's `where`: `a` where `condition` is non-zero, else `b`, broadcasting all three.
    static func select(_ condition: DenseArray, _ a: DenseArray, _ b: DenseArray) -> DenseArray? {
        broadcast([condition, a, b]) { $0[0] != 0 ? $0[1] : $0[2] }
    }

    // MARK: Reductions

    /// Neumaier's compensated sum, accurate to about one rounding regardless of order.
    static func accurateSum(_ values: [Double]) -> Double {
        var sum = 0.0, compensation = 0.0
        for v in values {
            let t = sum + v
            compensation += Swift.abs(sum) >= Swift.abs(v) ? (sum - t) + v : (v - t) + sum
            sum = t
        }
        return sum + compensation
    }

    /// Resolves NumPy axes (nil = all, negatives count from the end) to sorted non-negative axes.
    static func resolve(_ axes: [Int]?, rank: Int) -> [Int] {
        (axes ?? Array(0..<rank)).map { $0 < 0 ? $0 + rank : $0 }.sorted()
    }

    /// Applies `f` to the elements of each lane over `axes`; with `keepDims` the reduced axes stay at extent 1.
    static func reduce(_ x: DenseArray, axes: [Int]?, keepDims: Bool = false,
                       _ f: ([Double]) -> Double) -> DenseArray {
        let reduced = Set(resolve(axes, rank: x.rank))
        let keptShape = x.shape.enumerated().map { reduced.contains($0) ? 1 : $1 }
        var lanes = [[Double]](repeating: [], count: count(keptShape))
        for index in indices(x.shape) {
            let kept = index.enumerated().map { reduced.contains($0) ? 0 : $1 }
            lanes[flat(kept, keptShape)].append(x[index])
        }
        let shape = keepDims ? keptShape : x.shape.enumerated().filter { !reduced.contains($0.offset) }.map(\.element)
        return try! DenseArray(shape: shape, storage: lanes.map(f))
    }

    static func sum(_ x: DenseArray, axes: [Int]? = nil, keepDims: Bool = false) -> DenseArray {
        reduce(x, axes: axes, keepDims: keepDims, accurateSum)
    }

    static func mean(_ x: DenseArray, axes: [Int]? = nil, keepDims: Bool = false) -> DenseArray {
        reduce(x, axes: axes, keepDims: keepDims) { accurateSum($0) / Double($0.count) }
    }

    static func prod(_ x: DenseArray, axes: [Int]? = nil, keepDims: Bool = false) -> DenseArray {
        reduce(x, axes: axes, keepDims: keepDims) { $0.reduce(1, *) }
    }

    static func min(_ x: DenseArray, axes: [Int]? = nil, keepDims: Bool = false) -> DenseArray {
        reduce(x, axes: axes, keepDims: keepDims) { $0.contains(where: \.isNaN) ? .nan : $0.min()! }
    }

    static func max(_ x: DenseArray, axes: [Int]? = nil, keepDims: Bool = false) -> DenseArray {
        reduce(x, axes: axes, keepDims: keepDims) { $0.contains(where: \.isNaN) ? .nan : $0.max()! }
    }

    /// Two-pass variance: Σ(x - mean)² / (n - ddof).
    static func variance(_ values: [Double], ddof: Int) -> Double {
        let mean = accurateSum(values) / Double(values.count)
        return accurateSum(values.map { ($0 - mean) * ($0 - mean) }) / Double(values.count - ddof)
    }

    static func variance(_ x: DenseArray, axes: [Int]? = nil, ddof: Int = 0, keepDims: Bool = false) -> DenseArray {
        reduce(x, axes: axes, keepDims: keepDims) { variance($0, ddof: ddof) }
    }

    static func std(_ x: DenseArray, axes: [Int]? = nil, ddof: Int = 0, keepDims: Bool = false) -> DenseArray {
        reduce(x, axes: axes, keepDims: keepDims) { variance($0, ddof: ddof).squareRoot() }
    }

    /// NumPy's argmin/argmax: first position of the extreme (or of the first NaN);
    /// with `axis` nil, an index into the flattened array.
    static func argExtreme(_ x: DenseArray, axis: Int?, isBetter: @escaping (Double, Double) -> Bool) -> DenseArray {
        func first(_ values: [Double]) -> Double {
            if let nan = values.firstIndex(where: \.isNaN) { return Double(nan) }
            var best = 0
            for i in values.indices where isBetter(values[i], values[best]) { best = i }
            return Double(best)
        }
        guard let axis else { return DenseArray(scalar: first(x.storage)) }
        return reduce(x, axes: [axis], keepDims: false, first)
    }

    static func argmin(_ x: DenseArray, axis: Int? = nil) -> DenseArray { argExtreme(x, axis: axis, isBetter: <) }
    static func argmax(_ x: DenseArray, axis: Int? = nil) -> DenseArray { argExtreme(x, axis: axis, isBetter: >) }

    // MARK: Linear algebra

    /// NumPy's `matmul`/`dot` for 1-D and 2-D operands (a 1-D left operand is a row, a 1-D right one a column).
    static func matmul(_ a: DenseArray, _ b: DenseArray) -> DenseArray? {
        let a2 = a.rank == 1 ? try! DenseArray(shape: [1, a.shape[0]], storage: a.storage) : a
        let b2 = b.rank == 1 ? try! DenseArray(shape: [b.shape[0], 1], storage: b.storage) : b
        guard a2.rank == 2, b2.rank == 2, a2.shape[1] == b2.shape[0] else { return nil }
        let (m, k, n) = (a2.shape[0], a2.shape[1], b2.shape[1])
        let full = make([m, n]) { ij in
            var s = 0.0
            for p in 0..<k { s += a2[[ij[0], p]] * b2[[p, ij[1]]] }
            return s
        }
        var shape: [Int] = []
        if a.rank == 2 { shape.append(m) }
        if b.rank == 2 { shape.append(n) }
        return try! DenseArray(shape: shape, storage: full.storage)
    }

    // MARK: Structure

    /// Axis `i` of the result is axis `axes[i]` of `x` (all axes reversed when nil).
    static func transpose(_ x: DenseArray, _ axes: [Int]? = nil) -> DenseArray {
        let axes = (axes ?? Array((0..<x.rank).reversed())).map { $0 < 0 ? $0 + x.rank : $0 }
        return make(axes.map { x.shape[$0] }) { out in
            var source = [Int](repeating: 0, count: x.rank)
            for (i, axis) in axes.enumerated() { source[axis] = out[i] }
            return x[source]
        }
    }

    /// The positions Python's `range(*slice(start, stop, step).indices(extent))` visits.
    static func positions(start: Int?, stop: Int?, step: Int?, extent: Int) -> [Int] {
        let step = step ?? 1
        precondition(step != 0)
        func clamp(_ value: Int?, _ fallback: Int, _ low: Int, _ high: Int) -> Int {
            guard var v = value else { return fallback }
            if v < 0 { v += extent }
            return Swift.min(Swift.max(v, low), high)
        }
        var result: [Int] = []
        if step > 0 {
            var i = clamp(start, 0, 0, extent)
            let end = clamp(stop, extent, 0, extent)
            while i < end { result.append(i); i += step }
        } else {
            var i = clamp(start, extent - 1, -1, extent - 1)
            let end = clamp(stop, -1, -1, extent - 1)
            while i > end { result.append(i); i += step }
        }
        return result
    }

    /// NumPy basic indexing; nil for an out-of-range integer index, a zero step or too many indices.
    /// New axes are left to the NumPy comparisons (nil).
    static func slice(_ x: DenseArray, _ indices: [AxisIndex]) -> DenseArray? {
        guard indices.count <= x.rank, !indices.contains(.newAxis) else { return nil }
        var selected: [[Int]] = []
        var keptAxes: [Int] = []
        for axis in 0..<x.rank {
            switch axis < indices.count ? indices[axis] : .all {
            case .index(let i):
                let r = i < 0 ? i + x.shape[axis] : i
                guard r >= 0 && r < x.shape[axis] else { return nil }
                selected.append([r])
            case .newAxis:
                return nil
            case .slice(let start, let stop, let step):
                guard step != 0 else { return nil }
                selected.append(positions(start: start, stop: stop, step: step, extent: x.shape[axis]))
                keptAxes.append(axis)
            }
        }
        let full = make(selected.map(\.count)) { i in x[zip(selected, i).map { $0[$1] }] }
        return try! DenseArray(shape: keptAxes.map { selected[$0].count }, storage: full.storage)
    }

    /// Joins arrays along an existing axis.
    static func concatenate(_ arrays: [DenseArray], axis: Int) -> DenseArray {
        let axis = axis < 0 ? axis + arrays[0].rank : axis
        var shape = arrays[0].shape
        shape[axis] = arrays.map { $0.shape[axis] }.reduce(0, +)
        let starts = arrays.map { $0.shape[axis] }.reduce(into: [0]) { $0.append($0.last! + $1) }
        return make(shape) { index in
            let part = starts.lastIndex { $0 <= index[axis] && $0 < starts.last! }!
            var local = index
            local[axis] -= starts[part]
            return arrays[part][local]
        }
    }

    /// Joins arrays of one shape along a new axis.
    static func stack(_ arrays: [DenseArray], axis: Int) -> DenseArray {
        let axis = axis < 0 ? axis + arrays[0].rank + 1 : axis
        var shape = arrays[0].shape
        shape.insert(arrays.count, at: axis)
        return make(shape) { index in
            var local = index
            let which = local.remove(at: axis)
            return arrays[which][local]
        }
    }
}

// MARK: - Test inputs

/// Deterministic test data from a simple formula: irregular values in about [-2, 2], no ties.
func sample(_ shape: [Int], seed: Int = 0) -> DenseArray {
    let n = Reference.count(shape)
    let values = (0..<n).map { i -> Double in
        let t = Double(i) + 97.0 * Double(seed)
        return 1.5 * sin(0.7 * t + 0.3) + Double((i * 37 + seed * 11) % 101) / 101.0 - 0.5
    }
    return try! DenseArray(shape: shape, storage: values)
}

/// `sample` with every value mapped into [low, high).
func sample(_ shape: [Int], seed: Int = 0, in range: Range<Double>) -> DenseArray {
    let base = sample(shape, seed: seed)
    return Reference.map(base) { range.lowerBound + (range.upperBound - range.lowerBound) * (($0 + 2.5) / 5.0) }
}

/// A lazy array holding `dense`, split by `chunks`.
func lazy(_ dense: DenseArray, _ chunks: ChunkSpec) throws -> BlockArray {
    try BlockArray.fromArray(dense, chunks: chunks)
}

// MARK: - Comparison

/// Whether `a` and `b` agree: both NaN, equal, or within `tolerance × max(scale, |a|, |b|)`.
func close(_ a: Double, _ b: Double, tolerance: Double = 1e-12, scale: Double = 1) -> Bool {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    if a == b { return true }
    return Swift.abs(a - b) <= tolerance * Swift.max(scale, Swift.abs(a), Swift.abs(b))
}

/// Expects `actual` to have `expected`'s shape and every element `close` to it.
///
/// `scale` raises the floor of the relative tolerance for results prone to cancellation
/// (pass the magnitude of the terms that were summed); `scales` does so per element.
func expectClose(_ actual: DenseArray, _ expected: DenseArray, tolerance: Double = 1e-12,
                 scale: Double = 1, scales: DenseArray? = nil, _ what: String = "",
                 sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual.shape == expected.shape else {
        Issue.record("\(what) shape \(actual.shape) != expected \(expected.shape)", sourceLocation: sourceLocation)
        return
    }
    var mismatches: [String] = []
    var mismatchCount = 0
    for i in 0..<expected.storage.count {
        let s = Swift.max(scale, scales.map { Swift.abs($0.storage[i]) } ?? 0)
        if !close(actual.storage[i], expected.storage[i], tolerance: tolerance, scale: s) {
            mismatchCount += 1
            if mismatches.count < 5 {
                let index = Reference.indices(expected.shape)[i]
                mismatches.append("at \(index): \(actual.storage[i]) vs expected \(expected.storage[i])")
            }
        }
    }
    #expect(mismatchCount == 0,
            "\(what) \(mismatchCount) of \(expected.count) elements differ: \(mismatches.joined(separator: "; "))",
            sourceLocation: sourceLocation)
}

/// The case name of a `BlockArrayError` (`"invalidChunks"`, …), robust to cases added later.
func caseName(_ error: BlockArrayError) -> String {
    Mirror(reflecting: error).children.first?.label ?? "\(error)"
}

/// Expects `body` to throw the `BlockArrayError` case named `name`.
func expectError<R>(_ name: String, sourceLocation: SourceLocation = #_sourceLocation,
                    _ body: () throws -> R) {
    do {
        let value = try body()
        Issue.record("expected BlockArrayError.\(name), got a value: \(value)", sourceLocation: sourceLocation)
    } catch let error as BlockArrayError {
        #expect(caseName(error) == name, "expected .\(name), got \(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected BlockArrayError.\(name), got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
    }
}
