import ArrayFiles
import BlockArray

/// A file an expression loads: what the header and the reports show of the source.
public struct LoadedFile: Sendable, Equatable {
    /// The path as the expression gives it.
    public let path: String
    /// The element type in the file (`int16`, `float32 (big-endian)` …): values become float64.
    public let dtype: String
    /// How the elements are laid out: `C`, `Fortran` …
    public let order: String
    public let shape: [Int]
}

/// The files a program's `load` calls opened, in order. A reference so that builtins, which get
/// their arguments by value, can add to the evaluator's list.
final class LoadedFiles {
    var files: [LoadedFile] = []
}

extension Builtins {
    /// `load(file, chunks=, dataset=)`: an array file, read block by block as tasks need it. Without
    /// `chunks=`, a format with blocks of its own (a Zarr chunk, an HDF5 chunk) gives them;
    /// `dataset=` names an HDF5 file's dataset (needed when it holds more than one).
    static let files: [String: Builtin] = [
        "load": Builtin(parameters: ["file", "chunks", "dataset"], required: 1) { (a) throws(ExpressionError) in
            guard let path = try a.string("file") else { throw a.fail("file", "needs a file name") }
            let dataset = try a.string("dataset")
            let file: any ArrayReader
            do throws(ArrayFileError) {
                let format = try ArrayFormat(path: path)
                guard dataset == nil || format == .hdf5 else { throw ArrayFileError(path: path, "dataset= names a dataset of an HDF5 file (.h5, .hdf5)") }
                file = try format.reader(path: path, dataset: dataset)
            } catch {
                throw a.fail("file", error.description, .badValue)
            }
            let chunks = try a.creationChunks(natural: file.naturalChunks.map { .perAxis($0) })
            let array = try a.library { try BlockArray.load(file, chunks: chunks) }
            a.loaded?.files.append(LoadedFile(path: path, dtype: file.elementType, order: file.layout, shape: file.shape))
            return .array(array)
        },
    ]
}
