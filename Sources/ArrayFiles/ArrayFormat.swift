/// The array file formats blocktop reads and writes, named by the path's extension.
public enum ArrayFormat: String, CaseIterable, Sendable {
    case npy
    case hdf5
    case zarr

    /// The extensions that name each format.
    var extensions: [String] {
        switch self {
        case .npy: return [".npy"]
        case .hdf5: return [".h5", ".hdf5"]
        case .zarr: return [".zarr"]
        }
    }

    /// The format `path` names by its extension (a trailing `/` ignored; an array inside a
    /// `.zarr` store too); throws saying which extensions blocktop knows.
    public init(path: String) throws(ArrayFileError) {
        var name = Substring(path)
        while name.count > 1 && name.hasSuffix("/") { name = name.dropLast() }
        guard let format = Self.allCases.first(where: { format in format.extensions.contains { name.hasSuffix($0) || format == .zarr && name.contains($0 + "/") } }) else {
            throw ArrayFileError(path: path, "unknown format: blocktop reads and writes \(Self.knownExtensions) files (the format is named by the extension)")
        }
        self = format
    }

    /// `.npy, .h5, .hdf5, .zarr`, as messages list them.
    public static var knownExtensions: String {
        allCases.flatMap(\.extensions).joined(separator: ", ")
    }

    /// Opens `path` for reading blocks; `dataset` names the array in a file that holds several
    /// (an HDF5 dataset; nil for the only one).
    public func reader(path: String, dataset: String? = nil) throws(ArrayFileError) -> any ArrayReader {
        switch self {
        case .npy: return try NPYFile(path: path)
        case .hdf5: return try HDF5File(path: path, dataset: dataset)
        case .zarr: return try ZarrArray(path: path)
        }
    }

    /// Creates the temporary file for writing an array of `shape`, in blocks of `blocks`, as
    /// `elementType` to `path` (an existing target only when `replacing`); `dataset` names the array
    /// in a file that holds several (an HDF5 dataset; nil for `HDF5Writer.defaultDataset`); a Zarr
    /// store is chunked as `blocks`, in `zarrFormat`.
    public func writer(path: String, shape: [Int], blocks: [Int], elementType: NPYDType, dataset: String? = nil,
                       zarrFormat: Int = 3, replacing: Bool) throws(ArrayFileError) -> any ArrayWriter {
        switch self {
        case .npy: return try NPYWriter(path: path, shape: shape, dtype: elementType, replacing: replacing)
        case .hdf5:
            return try HDF5Writer(path: path, dataset: dataset ?? HDF5Writer.defaultDataset, shape: shape, chunks: blocks,
                                  dtype: elementType, replacing: replacing)
        case .zarr:
            return try ZarrWriter(path: path, shape: shape, chunkShape: blocks, dtype: elementType, zarrFormat: zarrFormat, replacing: replacing)
        }
    }
}
