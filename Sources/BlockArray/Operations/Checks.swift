/// A NaN or infinity where `checkFinite()` forbids one.
public struct NonFiniteValueError: Error, CustomStringConvertible, Sendable {
    public let value: Double
    /// Global coordinates of the first such element in its block.
    public let index: [Int]

    public var description: String { "non-finite value \(value.isNaN ? "nan" : "\(value)") at \(index)" }
}

extension BlockArray {
    /// The same array, but a block holding a NaN or an infinity fails its task, naming the
    /// element (like NumPy's `asarray_chkfinite`, checked block by block as the run goes).
    public func checkFinite() -> BlockArray {
        mapBlocks(name: "check_finite", flopsPerElement: 0) { block, info in
            guard let position = block.storage.firstIndex(where: { !$0.isFinite }) else { return block }
            throw NonFiniteValueError(value: block.storage[position],
                                      index: globalIndex(ofElement: position, inBlockOf: info.shape, at: info.offset))
        }
    }
}
