/// The 2·rank-neighbour Laplacian of `block` (or, with `rate`, `block + rate · laplacian`) on every
/// element at least one away from the block's faces; the rest is left as it is (`mapOverlap` trims it).
package func laplacianStencil(_ block: DenseArray, rate: Double?) -> DenseArray {
    let shape = block.shape, strides = block.strides, rank = shape.count
    guard rank > 0, shape.allSatisfy({ $0 >= 3 }) else { return block }
    var result = block
    let inner = shape[rank - 1]
    let centreWeight = -2 * Double(rank)
    block.storage.withUnsafeBufferPointer { source in
        result.storage.withUnsafeMutableBufferPointer { target in
            if rank == 2 {
                // The common case, with the four neighbours spelled out so the loop vectorizes.
                let width = shape[1], weight = rate ?? 1, keep = rate == nil ? 0.0 : 1.0
                for i in 1..<(shape[0] - 1) {
                    let row = i * width
                    for j in 1..<(width - 1) {
                        let centre = row + j
                        let sum = source[centre - width] + source[centre + width] + source[centre - 1]
                            + source[centre + 1] - 4 * source[centre]
                        target[centre] = keep * source[centre] + weight * sum
                    }
                }
                return
            }
            // Rows over the outer axes whose coordinates are all interior.
            var index = [Int](repeating: 1, count: rank - 1)
            let rows = shape.dropLast().reduce(1) { $0 * ($1 - 2) }
            for _ in 0..<rows {
                var base = 0
                for axis in 0..<(rank - 1) { base += index[axis] * strides[axis] }
                for j in 1..<(inner - 1) {
                    let centre = base + j
                    var sum = centreWeight * source[centre]
                    for axis in 0..<rank { sum += source[centre - strides[axis]] + source[centre + strides[axis]] }
                    target[centre] = rate.map { source[centre] + $0 * sum } ?? sum
                }
                var axis = rank - 2
                while axis >= 0 {
                    index[axis] += 1
                    if index[axis] < shape[axis] - 1 { break }
                    index[axis] = 1
                    axis -= 1
                }
            }
        }
    }
    return result
}
