/// The partials of the nan-reductions (`nansum nanmean nanmin nanmax nanvar nanstd`): as their
/// plain counterparts, but NaN values are left out and each output position counts the values
/// it kept, so a slice of NaNs alone gives 0 (nansum) or NaN (the others), as in NumPy.
extension Reduction {
    /// Whether this reduction leaves NaN values out.
    package var skipsNaN: Bool {
        switch self {
        case .nanSum, .nanMean, .nanMin, .nanMax, .nanVariance, .nanStandardDeviation: return true
        default: return false
        }
    }

    /// Reduces `block` over the axes where `reduced` is true, leaving NaNs out; the fields are
    /// laid out as `fieldCount` says, field f of position o at f * positions + o.
    func nanPartial(_ block: DenseArray, reduced: [Bool]) -> DenseArray {
        let keptShape = zip(block.shape, reduced).map { $1 ? 1 : $0 }
        let positions = elementCount(keptShape)
        var fields = [Double](repeating: 0, count: fieldCount * positions)
        if self == .nanMin || self == .nanMax {
            fields.replaceSubrange(0..<positions, with: repeatElement(self == .nanMin ? .infinity : -.infinity, count: positions))
        }
        let walk = RowWalk(shape: block.shape, reduced: reduced)
        block.storage.withUnsafeBufferPointer { buffer in
            fields.withUnsafeMutableBufferPointer { out in
                guard let data = buffer.baseAddress, let r = out.baseAddress else { return }
                /// Calls `body(position, value)` for every value that is not NaN.
                func forEachValue(_ body: (Int, Double) -> Void) {
                    guard block.count > 0 else { return }
                    walk.forEachRow(data) { o, row, n, inner, _ in
                        for j in 0..<n where !row[j].isNaN { body(inner ? o : o + j, row[j]) }
                    }
                }
                switch self {
                case .nanSum:
                    forEachValue { o, value in r[o] += value }
                case .nanMean:
                    forEachValue { o, value in r[o] += value; r[positions + o] += 1 }
                case .nanMin, .nanMax:
                    let isMin = self == .nanMin
                    forEachValue { o, value in
                        r[o] = isMin ? Swift.min(r[o], value) : Swift.max(r[o], value)
                        r[positions + o] += 1
                    }
                case .nanVariance, .nanStandardDeviation:
                    // Count, mean, M2 of the values kept; two passes (mean, then squared deviations).
                    let counts = r, means = r + positions, squares = r + 2 * positions
                    forEachValue { o, value in counts[o] += 1; means[o] += value }
                    for o in 0..<positions where counts[o] > 0 { means[o] /= counts[o] }
                    forEachValue { o, value in let d = value - means[o]; squares[o] += d * d }
                default:
                    preconditionFailure("\(name) keeps its NaNs")
                }
            }
        }
        return DenseArray(uncheckedShape: [fieldCount] + keptShape, storage: fields)
    }
}
