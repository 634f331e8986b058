import BlockArray

/// The runs of contiguous elements a block covers in a row-major array, in the block's own
/// row-major order. The block's trailing axes that span the whole array join into one run, so a
/// block of whole rows is one run.
struct BlockRuns {
    /// Elements in each run.
    let runLength: Int
    private let strides: [Int]
    private let runAxis: Int
    /// The block's extents along the axes before the run's: one run per index of them.
    private let outer: [Int]
    private let offset: [Int]

    /// The runs of the block of `shape` at `offset` in an array of `arrayShape`.
    init(arrayShape: [Int], offset: [Int], shape: [Int]) {
        let rank = shape.count
        strides = rowMajorStrides(arrayShape)
        var runAxis = rank - 1
        while runAxis > 0 && shape[runAxis] == arrayShape[runAxis] { runAxis -= 1 }
        self.runAxis = runAxis
        runLength = rank == 0 ? 1 : shape[runAxis] * strides[runAxis]
        outer = Array(shape.prefix(max(runAxis, 0)))
        self.offset = offset
    }

    /// Calls `body` with the array element each run starts at, run after run.
    func forEach(_ body: (Int) throws(ArrayFileError) -> Void) throws(ArrayFileError) {
        var index = [Int](repeating: 0, count: outer.count)
        repeat {
            var element = strides.isEmpty ? 0 : offset[runAxis] * strides[runAxis]
            for axis in outer.indices { element += (offset[axis] + index[axis]) * strides[axis] }
            try body(element)
        } while advanceRowMajor(&index, within: outer)
    }
}
