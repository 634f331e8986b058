/// NumPy's nan-reductions: the reductions with NaN values left out, over all or chosen axes,
/// as the same tree reductions as `sum` and the others. A slice holding only NaNs gives 0 for
/// `nanSum` and NaN for the others; `nanMin` and `nanMax` of an empty axis throw, as NumPy.
extension BlockArray {
    public func nanSum(axes: [Int]? = nil, keepDims: Bool = false, splitEvery: Int? = nil) throws -> BlockArray {
        try reduce(.nanSum, axes: axes, keepDims: keepDims, splitEvery: splitEvery)
    }

    public func nanMean(axes: [Int]? = nil, keepDims: Bool = false, splitEvery: Int? = nil) throws -> BlockArray {
        try reduce(.nanMean, axes: axes, keepDims: keepDims, splitEvery: splitEvery)
    }

    public func nanMin(axes: [Int]? = nil, keepDims: Bool = false, splitEvery: Int? = nil) throws -> BlockArray {
        try reduce(.nanMin, axes: axes, keepDims: keepDims, splitEvery: splitEvery)
    }

    public func nanMax(axes: [Int]? = nil, keepDims: Bool = false, splitEvery: Int? = nil) throws -> BlockArray {
        try reduce(.nanMax, axes: axes, keepDims: keepDims, splitEvery: splitEvery)
    }

    /// Variance of the values that are not NaN, with `ddof` delta degrees of freedom (NaN where
    /// no more than `ddof` values are left).
    public func nanVariance(axes: [Int]? = nil, ddof: Int = 0, keepDims: Bool = false, splitEvery: Int? = nil) throws -> BlockArray {
        try reduce(.nanVariance(ddof: ddof), axes: axes, keepDims: keepDims, splitEvery: splitEvery)
    }

    /// Standard deviation of the values that are not NaN: the square root of `nanVariance`.
    public func nanStd(axes: [Int]? = nil, ddof: Int = 0, keepDims: Bool = false, splitEvery: Int? = nil) throws -> BlockArray {
        try reduce(.nanStandardDeviation(ddof: ddof), axes: axes, keepDims: keepDims, splitEvery: splitEvery)
    }
}
