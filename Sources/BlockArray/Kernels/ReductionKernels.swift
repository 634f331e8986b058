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
        }
    }

    /// Fields of a partial: sum/prod/min/max [value]; mean [sum, count];
    /// variance [count, mean, M2]; argmin/argmax [value, index].
    package var fieldCount: Int {
        switch self {
        case .sum, .prod, .min, .max: return 1
        case .mean, .argmin, .argmax: return 2
        case .variance, .standardDeviation: return 3
        }
    }

    /// Whether an empty reduction has no answer (NumPy raises for these).
    package var needsElements: Bool {
        switch self {
        case .min, .max, .argmin, .argmax: return true
        default: return false
        }
    }

    /// Reduces `block` over `axes` (block-local); `globalStrides[axis]` turns
    /// global coordinates into the arg-reductions' index (0 off the reduced axes).
    package func partial(_ block: DenseArray, axes: Set<Int>, offset: [Int], globalStrides: [Int]) -> DenseArray {
        let keptShape = block.shape.enumerated().map { axes.contains($0) ? 1 : $1 }
        let positions = elementCount(keptShape)
        var fields = [[Double]](repeating: [Double](repeating: 0, count: positions), count: fieldCount)
        switch self {
        case .prod: fields[0] = [Double](repeating: 1, count: positions)
        case .min: fields[0] = [Double](repeating: .infinity, count: positions)
        case .max: fields[0] = [Double](repeating: -.infinity, count: positions)
        case .argmin, .argmax: fields[1] = [Double](repeating: -1, count: positions)
        default: break
        }
        let walk = RowWalk(shape: block.shape, reduced: axes)
        block.storage.withUnsafeBufferPointer { buffer in
            guard let data = buffer.baseAddress, block.count > 0 else { return }
            switch self {
            case .sum, .mean:
                walk.forEachRow(data) { o, row, n, inner, _ in
                    if inner { fields[0][o] += rowSum(row, n) } else { for j in 0..<n { fields[0][o + j] += row[j] } }
                }
            case .prod:
                walk.forEachRow(data) { o, row, n, inner, _ in
                    if inner { for j in 0..<n { fields[0][o] *= row[j] } } else { for j in 0..<n { fields[0][o + j] *= row[j] } }
                }
            case .min, .max:
                let op: BinaryOperation = self == .min ? .minimum : .maximum
                walk.forEachRow(data) { o, row, n, inner, _ in
                    if inner { for j in 0..<n { fields[0][o] = op.apply(fields[0][o], row[j]) } }
                    else { for j in 0..<n { fields[0][o + j] = op.apply(fields[0][o + j], row[j]) } }
                }
            case .variance, .standardDeviation:
                // Two passes inside the block (mean, then squared deviations) for stability.
                walk.forEachRow(data) { o, row, n, inner, _ in
                    if inner { fields[1][o] += rowSum(row, n) } else { for j in 0..<n { fields[1][o + j] += row[j] } }
                }
                let perPosition = Double(block.count / positions)
                for o in 0..<positions {
                    fields[0][o] = perPosition
                    fields[1][o] /= perPosition
                }
                walk.forEachRow(data) { o, row, n, inner, _ in
                    if inner {
                        let m = fields[1][o]
                        var s = 0.0
                        for j in 0..<n { let d = row[j] - m; s += d * d }
                        fields[2][o] += s
                    } else {
                        for j in 0..<n { let d = row[j] - fields[1][o + j]; fields[2][o + j] += d * d }
                    }
                }
            case .argmin, .argmax:
                let lastStride = globalStrides.last ?? 0
                walk.forEachRow(data) { o, row, n, inner, local in
                    var base = 0
                    for axis in 0..<local.count { base += (offset[axis] + local[axis]) * globalStrides[axis] }
                    if let lastOffset = offset.last { base += lastOffset * lastStride }
                    for j in 0..<n {
                        let target = inner ? o : o + j
                        let index = Double(base + j * lastStride)
                        if beats(row[j], index, fields[0][target], fields[1][target]) {
                            fields[0][target] = row[j]
                            fields[1][target] = index
                        }
                    }
                }
            }
        }
        if case .mean = self { fields[1] = [Double](repeating: Double(block.count / Swift.max(positions, 1)), count: positions) }
        return DenseArray(uncheckedShape: [fieldCount] + keptShape, storage: fields.flatMap { $0 })
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
                    case .sum: r[p] += o[p]
                    case .prod: r[p] *= o[p]
                    case .min: r[p] = BinaryOperation.minimum.apply(r[p], o[p])
                    case .max: r[p] = BinaryOperation.maximum.apply(r[p], o[p])
                    case .mean:
                        r[p] += o[p]
                        r[positions + p] += o[positions + p]
                    case .variance, .standardDeviation:
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
private struct RowWalk {
    let shape: [Int]
    let outputStrides: [Int]
    let innerReduced: Bool

    init(shape: [Int], reduced: Set<Int>) {
        self.shape = shape
        let kept = shape.enumerated().map { reduced.contains($0) ? 1 : $1 }
        let strides = rowMajorStrides(kept)
        self.outputStrides = shape.indices.map { reduced.contains($0) ? 0 : strides[$0] }
        self.innerReduced = shape.isEmpty || reduced.contains(shape.count - 1)
    }

    /// `body(outputOffset, row, rowLength, innerAxisIsReduced, rowIndexOverOuterAxes)`.
    func forEachRow(_ data: UnsafePointer<Double>,
                    _ body: (Int, UnsafePointer<Double>, Int, Bool, [Int]) -> Void) {
        guard !shape.isEmpty else { return body(0, data, 1, true, []) }
        let n = shape[shape.count - 1]
        for (row, index) in allIndices(Array(shape.dropLast())).enumerated() {
            var o = 0
            for axis in 0..<index.count { o += index[axis] * outputStrides[axis] }
            body(o, data + row * n, n, innerReduced, index)
        }
    }
}
