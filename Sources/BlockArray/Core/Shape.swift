/// Shape arithmetic shared by every operation: counts, strides, axes, broadcasting.

/// Number of elements in an array of `shape` (1 for a 0-d shape).
package func elementCount(_ shape: [Int]) -> Int {
    shape.reduce(1, *)
}

/// Row-major strides, in elements, of an array of `shape`.
package func rowMajorStrides(_ shape: [Int]) -> [Int] {
    var strides = shape
    var running = 1
    var axis = shape.count
    while axis > 0 {
        axis -= 1
        strides[axis] = running
        running *= shape[axis]
    }
    return strides
}

/// Global coordinates of the element at row-major `position` of a block of `shape` whose first
/// element is at `offset`.
package func globalIndex(ofElement position: Int, inBlockOf shape: [Int], at offset: [Int]) -> [Int] {
    var index = offset
    var rest = position
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
        index[axis] += rest % shape[axis]
        rest /= shape[axis]
    }
    return index
}

/// Throws unless every extent is ≥ 0.
package func validate(shape: [Int]) throws(BlockArrayError) {
    guard shape.allSatisfy({ $0 >= 0 }) else { throw .invalidShape(shape) }
}

/// Resolves possibly negative axes against `rank`; throws on an axis out of range or repeated.
/// `nil` means every axis.
package func normalizeAxes(_ axes: [Int]?, rank: Int) throws -> [Int] {
    guard let axes else { return Array(0..<rank) }
    var seen = Set<Int>()
    var result: [Int] = []
    for axis in axes {
        let resolved = axis < 0 ? axis + rank : axis
        guard resolved >= 0 && resolved < rank, seen.insert(resolved).inserted else {
            throw BlockArrayError.invalidAxis(axis: axis, rank: rank)
        }
        result.append(resolved)
    }
    return result.sorted()
}

/// The NumPy broadcast of several shapes: aligned on the right, each extent equal or 1.
package func broadcastShapes(_ shapes: [[Int]], operation: String) throws -> [Int] {
    let rank = shapes.map(\.count).max() ?? 0
    var result = [Int](repeating: 1, count: rank)
    for shape in shapes {
        let shift = rank - shape.count
        for (axis, extent) in shape.enumerated() {
            let current = result[axis + shift]
            if current == 1 {
                result[axis + shift] = extent
            } else if extent != 1 && extent != current {
                let other = shapes.first { $0 != shape } ?? shape
                throw BlockArrayError.shapeMismatch(operation: operation, other, shape)
            }
        }
    }
    return result
}
