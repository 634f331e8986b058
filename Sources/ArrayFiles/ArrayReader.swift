import BlockArray

/// An array file open for reading block by block: what every format gives `load`.
///
/// A reader is shared by the tasks that read it, in parallel: `readBlock` must be safe to call
/// from several threads at once.
public protocol ArrayReader: AnyObject, Sendable {
    /// The file (or store) as the user named it, for messages.
    var path: String { get }
    var shape: [Int] { get }
    /// The element type in the file; values are read as float64.
    var elementType: String { get }
    /// How the elements are laid out (`C`, `Fortran` …), as reports show the source.
    var layout: String { get }
    /// The file's own blocks (a Zarr chunk, an HDF5 chunk), used when `chunks=` is not given;
    /// nil when the format has none.
    var naturalChunks: [Int]? { get }
    /// What tells this file from any other (its path, size and modification time), for task keys.
    var identity: [String] { get }
    /// Reads the block at `offset` of `shape` into `destination` as float64 in row-major order;
    /// throws naming the file (and the chunk) when the data is missing, truncated or corrupt.
    func readBlock(offset: [Int], shape: [Int], into destination: UnsafeMutableBufferPointer<Double>) throws(ArrayFileError)
}
