/// The one copy loop behind broadcasting, transposition, slicing and assembly:
/// copies an `extent`-shaped region between two strided layouts.
///
/// Strides are in elements and may be 0 (broadcast) or negative (reversed slices).
/// The last axis is the inner loop; when both sides are contiguous there it is a memcpy.
package func stridedCopy(
    extent: [Int],
    from source: UnsafePointer<Double>, strides sourceStrides: [Int],
    to destination: UnsafeMutablePointer<Double>, strides destinationStrides: [Int]
) {
    let rank = extent.count
    guard !extent.contains(0) else { return }
    guard rank > 0 else {
        destination.pointee = source.pointee
        return
    }
    let inner = extent[rank - 1]
    let sourceInner = sourceStrides[rank - 1], destinationInner = destinationStrides[rank - 1]
    let outerCount = extent.dropLast().reduce(1, *)
    var index = [Int](repeating: 0, count: rank - 1)
    var sourceOffset = 0, destinationOffset = 0
    for _ in 0..<outerCount {
        let s = source + sourceOffset, d = destination + destinationOffset
        if sourceInner == 1 && destinationInner == 1 {
            d.update(from: s, count: inner)
        } else {
            for k in 0..<inner { d[k * destinationInner] = s[k * sourceInner] }
        }
        var axis = rank - 2
        while axis >= 0 {
            index[axis] += 1
            sourceOffset += sourceStrides[axis]
            destinationOffset += destinationStrides[axis]
            if index[axis] < extent[axis] { break }
            sourceOffset -= sourceStrides[axis] * extent[axis]
            destinationOffset -= destinationStrides[axis] * extent[axis]
            index[axis] = 0
            axis -= 1
        }
    }
}

extension DenseArray {
    /// This array repeated along size-1 (or missing leading) axes to `target` (NumPy broadcasting).
    package func broadcast(to target: [Int]) -> DenseArray {
        if shape == target { return self }
        let shift = target.count - rank
        let own = strides
        let sourceStrides = (0..<target.count).map { axis in
            axis < shift || shape[axis - shift] == 1 ? 0 : own[axis - shift]
        }
        return copying(extent: target, sourceOffset: 0, sourceStrides: sourceStrides)
    }

    /// Axes reordered: axis `i` of the result is axis `axes[i]` of this array.
    package func transposed(_ axes: [Int]) -> DenseArray {
        let own = strides
        return copying(extent: axes.map { shape[$0] }, sourceOffset: 0, sourceStrides: axes.map { own[$0] })
    }

    /// Elements `start[a] + i * step[a]` for `i < count[a]` on every axis `a`.
    package func sliced(start: [Int], step: [Int], count: [Int]) -> DenseArray {
        let own = strides
        let offset = zip(start, own).map(*).reduce(0, +)
        return copying(extent: count, sourceOffset: offset, sourceStrides: zip(own, step).map(*))
    }

    /// Writes the `extent`-shaped region of `source` starting at `sourceStart`
    /// (all of it by default) into this array with its first element at `origin`.
    package mutating func paste(_ source: DenseArray, region sourceStart: [Int]? = nil, extent: [Int]? = nil,
                                at origin: [Int]) {
        let extent = extent ?? source.shape
        guard !extent.contains(0) else { return }
        let destinationStrides = strides, sourceStrides = source.strides
        let destinationOffset = zip(origin, destinationStrides).map(*).reduce(0, +)
        let sourceOffset = zip(sourceStart ?? source.shape.map { _ in 0 }, sourceStrides).map(*).reduce(0, +)
        source.storage.withUnsafeBufferPointer { s in
            storage.withUnsafeMutableBufferPointer { d in
                stridedCopy(extent: extent, from: s.baseAddress! + sourceOffset, strides: sourceStrides,
                            to: d.baseAddress! + destinationOffset, strides: destinationStrides)
            }
        }
    }

    private func copying(extent: [Int], sourceOffset: Int, sourceStrides: [Int]) -> DenseArray {
        var result = [Double](repeating: 0, count: elementCount(extent))
        if !result.isEmpty {
            storage.withUnsafeBufferPointer { s in
                result.withUnsafeMutableBufferPointer { d in
                    stridedCopy(extent: extent, from: s.baseAddress! + sourceOffset, strides: sourceStrides,
                                to: d.baseAddress!, strides: rowMajorStrides(extent))
                }
            }
        }
        return DenseArray(uncheckedShape: extent, storage: result)
    }
}
