import BlockArray

/// How large an array an expression may build.
///
/// A few characters can ask for any size (`ones(1e13)`), and the library does some work per
/// block while building, before anything runs: resolving chunks allocates an entry per block
/// along each axis, and counting elements overflows `Int` past 2^63. So sizes are checked
/// here, where the text is, and refused with an error at their place in it.
enum Limits {
    /// Elements of one array: 2^50 (8 PiB of Float64), far below where counts of elements or bytes overflow.
    static let maxElements = 1 << 50
    /// Blocks of one array: 2^20, so a million one-element blocks (the scheduler benchmark) still fit.
    static let maxBlocks = 1 << 20
    /// Steps of one `diffuse` call. Each adds a layer to the graph, and layers are freed recursively:
    /// a chain of 100,000 overflowed the stack.
    static let maxSteps = 10_000

    /// The number of elements of `shape` when it is at most `maxElements` (negative extents count
    /// as 0, for the library to reject), else nil.
    static func elements(_ shape: [Int]) -> Int? {
        var count = 1
        for extent in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: Swift.max(extent, 0))
            guard !overflow, product <= maxElements else { return nil }
            count = product
        }
        return count
    }

    /// The number of blocks `chunks` splits `shape` into when it is at most `maxBlocks`, else nil;
    /// found without resolving the chunks. Sizes the library rejects count as one block, so that
    /// its own error is the one reported.
    static func blocks(_ shape: [Int], _ chunks: ChunkSpec) -> Int? {
        let perAxis: [Int]
        switch chunks {
        case .uniform(let size): perAxis = shape.map { blocks($0, size) }
        case .perAxis(let sizes): perAxis = zip(shape, sizes).map(blocks)
        case .explicit(let lists): perAxis = lists.map(\.count)
        }
        return product(perAxis, atMost: maxBlocks)
    }

    /// The number of blocks of `array` when it is at most `maxBlocks`, else nil.
    static func blocks(_ array: BlockArray) -> Int? {
        product(array.chunks.blockCounts, atMost: maxBlocks)
    }

    /// Blocks of `size` along an axis of `extent`, as `Chunks` splits it.
    private static func blocks(_ extent: Int, _ size: Int) -> Int {
        extent > 0 && size > 0 ? extent / size + (extent % size == 0 ? 0 : 1) : 1
    }

    private static func product(_ factors: [Int], atMost limit: Int) -> Int? {
        var result = 1
        for factor in factors {
            let (product, overflow) = result.multipliedReportingOverflow(by: factor)
            guard !overflow, product <= limit else { return nil }
            result = product
        }
        return result
    }
}

extension Arguments {
    /// Throws unless an array of `shape` in blocks of `chunks` is within `Limits`;
    /// called before the library builds it.
    func checkSize(_ shape: [Int], chunks: ChunkSpec) throws(ExpressionError) {
        guard Limits.elements(shape) != nil else {
            throw fail("shape", "shape \(shape) has more than 2^50 elements", .badValue)
        }
        guard Limits.blocks(shape, chunks) != nil else {
            throw fail("chunks", "shape \(shape) in blocks of \(chunks) makes more than \(Limits.maxBlocks) blocks; use larger chunks",
                       .badValue)
        }
    }

    /// Throws unless `arrays`, about to be joined, hold at most `Limits.maxElements` elements and
    /// `Limits.maxBlocks` blocks in all: the join has their elements, and the library's work to
    /// build it grows with their blocks.
    func checkJoinedSize(_ arrays: [BlockArray], _ name: String) throws(ExpressionError) {
        var elements = 0, blocks = 0
        for array in arrays {
            // Each term and each partial sum is within the limit, so no sum overflows.
            elements += Limits.elements(array.shape) ?? Limits.maxElements + 1
            blocks += Limits.blocks(array) ?? Limits.maxBlocks + 1
            guard elements <= Limits.maxElements else {
                throw fail(name, "the result would have more than 2^50 elements", .badValue)
            }
            guard blocks <= Limits.maxBlocks else {
                throw fail(name, "the result would have more than \(Limits.maxBlocks) blocks; use larger chunks", .badValue)
            }
        }
    }
}
