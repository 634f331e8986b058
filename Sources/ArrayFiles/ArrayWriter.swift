import BlockArray

/// An array file being written block by block by a run's tasks, in parallel, under a temporary
/// name beside the target: whole or absent once `commit()` or `abandon()` is called.
public protocol ArrayWriter: AnyObject, Sendable {
    /// The target as the user named it.
    var path: String { get }
    var shape: [Int] { get }
    /// The element type written (`float64`, `int32` …).
    var elementType: String { get }
    /// The block shape the format stores (a Zarr chunk), which the array is rechunked to before
    /// writing; nil when blocks may be any shape.
    var requiredChunks: [Int]? { get }
    /// Writes `block` (float64, row-major), which sits at `offset` of the array; throws naming
    /// the element that does not fit the element type, or a failed write.
    func write(_ block: DenseArray, at offset: [Int]) throws(ArrayFileError)
    /// Puts the finished file in place of the target; call once every block is written.
    func commit() throws(ArrayFileError)
    /// Removes the unfinished file, leaving the target as it was (after a failed or cancelled run).
    func abandon()
}
