/// The per-block arithmetic of tree reductions.
///
/// A reduction runs in three steps, as in dask: each input block is reduced to
/// a *partial* (`partial`), groups of partials are merged (`combine`), and the
/// last partial becomes the result (`finalize`). A partial holds one or more
/// fields per output position, stacked on a leading axis: shape
/// `[fieldCount] + blockShape` with the reduced axes at extent 1.
package enum Reduction: Sendable, Hashable {
    case sum, prod, min, max, mean
    case variance(ddof: Int), standardDeviation(ddof: Int)
    case argmin, argmax
    /// NumPy's nan-reductions: NaN values are left out (`NaNReductionKernels`).
    case nanSum, nanMean, nanMin, nanMax
    case nanVariance(ddof: Int), nanStandardDeviation(ddof: Int)

    package var name: String {
        switch self {
        case .sum: return "sum"
        case .prod: return "prod"
        case .min: return "min"
        case .max: return "max"
        case .mean: return "mean"
        case .variance(let ddof): return "var\(ddof)"
        case .standardDeviation(let ddof): return "std\(ddof)"
        case .argmin: return "argmin"
        case .argmax: return "argmax"
        case .nanSum: return "nansum"
        case .nanMean: return "nanmean"
        case .nanMin: return "nanmin"
        case .nanMax: return "nanmax"
        case .nanVariance(let ddof): return "nanvar\(ddof)"
        case .nanStandardDeviation(let ddof): return "nanstd\(ddof)"
        }
    }

    /// Fields of a partial: sum/prod/min/max/nansum [value]; mean/nanmean [sum, count];
    /// variance/nanvar [count, mean, M2]; argmin/argmax [value, index]; nanmin/nanmax [value, count].
    package var fieldCount: Int {
        switch self {
        case .sum, .prod, .min, .max, .nanSum: return 1
        case .mean, .argmin, .argmax, .nanMean, .nanMin, .nanMax: return 2
        case .variance, .standardDeviation, .nanVariance, .nanStandardDeviation: return 3
        }
    }

    /// Whether an empty reduction has no answer (NumPy raises for these).
    package var needsElements: Bool {
        switch self {
        case .min, .max, .argmin, .argmax, .nanMin, .nanMax: return true
        default: return false
        }
    }

    /// Reduces `block` over the axes where `reduced` is true; `globalStrides[axis]`
    /// turns global coordinates into the arg-reductions' index (0 off the reduced axes).
    package func partial(_ block: DenseArray, reduced: [Bool], offset: [Int], globalStrides: [Int]) -> DenseArray {
        if skipsNaN { return nanPartial(block, reduced: reduced) }
        let keptShape = zip(block.shape, reduced).map { $1 ? 1 : $0 }
        let positions = elementCount(keptShape)
        let initial: [Double]
        switch self {
        case .prod: initial = [1]
        case .min: initial = [.infinity]
        case .max: initial = [-.infinity]
        case .argmin, .argmax: initial = [0, -1]
        default: initial = [Double](repeating: 0, count: fieldCount)
        }
        // Field f of position o lives at f * positions + o.
        var fields = [Double](unsafeUninitializedCapacity: fieldCount * positions) { buffer, count in
            for f in 0..<fieldCount { (buffer.baseAddress! + f * positions).initialize(repeating: initial[f], count: positions) }
            count = fieldCount * positions
        }
        let walk = RowWalk(shape: block.shape, reduced: reduced)
        block.storage.withUnsafeBufferPointer { buffer in
            fields.withUnsafeMutableBufferPointer { out in
                guard let data = buffer.baseAddress, block.count > 0, let r = out.baseAddress else { return }
                switch self {
                case .sum, .mean:
                    walk.forEachRow(data) { o, row, n, inner, _ in
                        if inner { r[o] += rowSum(row, n) } else { for j in 0..<n { r[o + j] += row[j] } }
                    }
                    if case .mean = self {
                        (r + positions).update(repeating: Double(block.count / positions), count: positions)
                    }
                case .prod:
                    walk.forEachRow(data) { o, row, n, inner, _ in
                        if inner { for j in 0..<n { r[o] *= row[j] } } else { for j in 0..<n { r[o + j] *= row[j] } }
                    }
                case .min, .max:
                    let op: BinaryOperation = self == .min ? .minimum : .maximum
                    walk.forEachRow(data) { o, row, n, inner, _ in
                        if inner { for j in 0..<n { r[o] = op.apply(r[o], row[j]) } }
                        else { for j in 0..<n { r[o + j] = op.apply(r[o + j], row[j]) } }
                    }
                case .variance, .standardDeviation:
                    // Fields: count, mean, M2. Two passes inside the block (mean, then
                    // squared deviations) for stability.
                    let counts = r, means = r + positions, squares = r + 2 * positions
                    walk.forEachRow(data) { o, row, n, inner, _ in
                        if inner { means[o] += rowSum(row, n) } else { for j in 0..<n { means[o + j] += row[j] } }
                    }
                    let perPosition = Double(block.count / positions)
                    for o in 0..<positions {
                        counts[o] = perPosition
                        means[o] /= perPosition
                    }
                    walk.forEachRow(data) { o, row, n, inner, _ in
                        if inner {
                            let m = means[o]
                            var sum = 0.0
                            for j in 0..<n { let d = row[j] - m; sum += d * d }
                            squares[o] += sum
                        } else {
                            for j in 0..<n { let d = row[j] - means[o + j]; squares[o + j] += d * d }
                        }
                    }
                case .nanSum, .nanMean, .nanMin, .nanMax, .nanVariance, .nanStandardDeviation:
                    preconditionFailure("nanPartial makes these")
                case .argmin, .argmax:
                    let values = r, indices = r + positions
                    let lastStride = globalStrides.last ?? 0
                    let lastOffset = offset.last ?? 0
                    walk.forEachRow(data) { o, row, n, inner, local in
                        var base = lastOffset * lastStride
                        for axis in 0..<local.count { base += (offset[axis] + local[axis]) * globalStrides[axis] }
                        for j in 0..<n {
                            let target = inner ? o : o + j
                            let index = Double(base + j * lastStride)
                            if beats(row[j], index, values[target], indices[target]) {
                                values[target] = row[j]
                                indices[target] = index
                            }
                        }
                    }
                }
            }
        }
        return DenseArray(uncheckedShape: [fieldCount] + keptShape, storage: fields)
    }

    /// Merges partials of equal shape position by position.
    package func combine(_ partials: [DenseArray]) -> DenseArray {
        var result = partials[0]
        let positions = result.count / fieldCount
        for other in partials.dropFirst() {
            let o = other.storage
            result.storage.withUnsafeMutableBufferPointer { r in
                for p in 0..<positions {
                    switch self {
                    case .sum, .nanSum: r[p] += o[p]
                    case .prod: r[p] *= o[p]
                    case .min: r[p] = BinaryOperation.minimum.apply(r[p], o[p])
                    case .max: r[p] = BinaryOperation.maximum.apply(r[p], o[p])
                    case .mean, .nanMean:
                        r[p] += o[p]
                        r[positions + p] += o[positions + p]
                    case .nanMin, .nanMax:
                        // Neither holds a NaN: the partials left them out.
                        r[p] = self == .nanMin ? Swift.min(r[p], o[p]) : Swift.max(r[p], o[p])
                        r[positions + p] += o[positions + p]
                    case .variance, .standardDeviation, .nanVariance, .nanStandardDeviation:
                        // Chan, Golub and LeVeque's pairwise update.
                        let (na, ma, sa) = (r[p], r[positions + p], r[2 * positions + p])
                        let (nb, mb, sb) = (o[p], o[positions + p], o[2 * positions + p])
                        let n = na + nb
                        guard nb > 0 else { continue }
                        guard na > 0 else {
                            (r[p], r[positions + p], r[2 * positions + p]) = (nb, mb, sb)
                            continue
                        }
                        let delta = mb - ma
                        r[p] = n
                        r[positions + p] = ma + delta * nb / n
                        r[2 * positions + p] = sa + sb + delta * delta * na * nb / n
                    case .argmin, .argmax:
                        if beats(o[p], o[positions + p], r[p], r[positions + p]) {
                            r[p] = o[p]
                            r[positions + p] = o[positions + p]
                        }
                    }
                }
            }
        }
        return result
    }

    /// The values of a final partial, shaped `outputShape`.
    package func finalize(_ partial: DenseArray, outputShape: [Int]) -> DenseArray {
        let positions = partial.count / fieldCount
        let s = partial.storage
        let values: [Double] = (0..<positions).map { p in
            switch self {
            case .sum, .prod, .min, .max: return s[p]
            case .mean: return s[p] / s[positions + p]
            case .variance(let ddof), .standardDeviation(let ddof):
                let v = s[2 * positions + p] / Swift.max(0, s[p] - Double(ddof))
                if case .standardDeviation = self { return v.squareRoot() }
                return v
            case .argmin, .argmax: return s[positions + p]
            case .nanSum: return s[p]
            case .nanMean: return s[p] / s[positions + p]
            // No value left after the NaNs: NaN, as NumPy (which warns).
            case .nanMin, .nanMax: return s[positions + p] > 0 ? s[p] : .nan
            case .nanVariance(let ddof), .nanStandardDeviation(let ddof):
                let freedom = s[p] - Double(ddof)
                guard freedom > 0 else { return .nan }
                let v = s[2 * positions + p] / freedom
                if case .nanStandardDeviation = self { return v.squareRoot() }
                return v
            }
        }
        return DenseArray(uncheckedShape: outputShape, storage: values)
    }

    /// Whether (value, index) should replace the current best of an arg-reduction:
    /// NaN wins (NumPy returns the first NaN), then the smaller (larger) value, then the lower index.
    private func beats(_ value: Double, _ index: Double, _ best: Double, _ bestIndex: Double) -> Bool {
        if index < 0 { return false }
        if bestIndex < 0 { return true }
        if value.isNaN || best.isNaN {
            return value.isNaN && (!best.isNaN || index < bestIndex)
        }
        if value == best { return index < bestIndex }
        return self == .argmin ? value < best : value > best
    }
}

/// Sum of `n` contiguous values with four accumulators (a vectorizable order).
@inline(__always)
private func rowSum(_ row: UnsafePointer<Double>, _ n: Int) -> Double {
    var (a, b, c, d) = (0.0, 0.0, 0.0, 0.0)
    var j = 0
    while j + 4 <= n {
        a += row[j]; b += row[j + 1]; c += row[j + 2]; d += row[j + 3]
        j += 4
    }
    while j < n { a += row[j]; j += 1 }
    return (a + b) + (c + d)
}

/// Visits a block row by row (the last axis), with the offset of the row's
/// output position in a partial whose reduced axes have extent 1.
struct RowWalk {
    let shape: [Int]
    let outputStrides: [Int]
    let innerReduced: Bool

    init(shape: [Int], reduced: [Bool]) {
        self.shape = shape
        let strides = rowMajorStrides(zip(shape, reduced).map { $1 ? 1 : $0 })
        self.outputStrides = zip(strides, reduced).map { $1 ? 0 : $0 }
        self.innerReduced = reduced.last ?? true
    }

    /// `body(outputOffset, row, rowLength, innerAxisIsReduced, rowIndexOverOuterAxes)`.
    func forEachRow(_ data: UnsafePointer<Double>,
                    _ body: (Int, UnsafePointer<Double>, Int, Bool, [Int]) -> Void) {
        guard let n = shape.last else { return body(0, data, 1, true, []) }
        let outer = shape.count - 1
        let rows = shape.dropLast().reduce(1, *)
        var index = [Int](repeating: 0, count: outer)
        var o = 0
        for row in 0..<rows {
            body(o, data + row * n, n, innerReduced, index)
            var axis = outer - 1
            while axis >= 0 {
                index[axis] += 1
                o += outputStrides[axis]
                if index[axis] < shape[axis] { break }
                o -= outputStrides[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }
}
