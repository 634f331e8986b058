/// The per-block arithmetic of cumulative sums and products along one axis.
///
/// A blocked scan runs in three steps, as in dask: each block is scanned on its own (`scanned`);
/// a carry per block holds the totals of the blocks before it on the axis, each carry made from
/// the one before and that block's last slice (`lastSlice`); and each block takes its carry
/// (`applying`).
package enum Scan: String, Sendable {
    case cumsum, cumprod

    @inline(__always)
    package func combine(_ a: Double, _ b: Double) -> Double {
        switch self {
        case .cumsum: return a + b
        case .cumprod: return a * b
        }
    }

    /// `block` scanned along `axis`: each element combined, in order, with those before it on the axis.
    package func scanned(_ block: DenseArray, axis: Int) -> DenseArray {
        var result = block
        let (outer, length, inner) = Self.split(block.shape, axis: axis)
        guard length > 1 else { return result }
        result.storage.withUnsafeMutableBufferPointer { values in
            for o in 0..<outer {
                var row = o * length * inner + inner
                for _ in 1..<length {
                    for j in row..<(row + inner) { values[j] = combine(values[j - inner], values[j]) }
                    row += inner
                }
            }
        }
        return result
    }

    /// The last slice of `block` along `axis`, which keeps that axis at extent 1: a scanned block's totals.
    package func lastSlice(_ block: DenseArray, axis: Int) -> DenseArray {
        var start = [Int](repeating: 0, count: block.rank), count = block.shape
        start[axis] = block.shape[axis] - 1
        count[axis] = 1
        return block.sliced(start: start, step: [Int](repeating: 1, count: block.rank), count: count)
    }

    /// `block` with `carry` (its shape but `axis` of extent 1) combined into every slice along `axis`.
    package func applying(_ carry: DenseArray, to block: DenseArray, axis: Int) -> DenseArray {
        var result = block
        let (outer, length, inner) = Self.split(block.shape, axis: axis)
        result.storage.withUnsafeMutableBufferPointer { values in
            carry.storage.withUnsafeBufferPointer { totals in
                for o in 0..<outer {
                    for k in 0..<length {
                        let row = (o * length + k) * inner
                        for j in 0..<inner { values[row + j] = combine(totals[o * inner + j], values[row + j]) }
                    }
                }
            }
        }
        return result
    }

    /// A shape as (elements before `axis`, its extent, elements after it) in row-major order.
    private static func split(_ shape: [Int], axis: Int) -> (outer: Int, length: Int, inner: Int) {
        (elementCount(Array(shape[..<axis])), shape[axis], elementCount(Array(shape[(axis + 1)...])))
    }
}
