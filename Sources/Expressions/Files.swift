import ArrayFiles
import BlockArray

/// A file an expression loads: what the header and the reports show of the source.
public struct LoadedFile: Sendable, Equatable {
    /// The path as the expression gives it.
    public let path: String
    /// The element type in the file (`int16`, `float32 (big-endian)` …): values become float64.
    public let dtype: String
    /// `C` or `Fortran`.
    public let order: String
    public let shape: [Int]
}

/// The files a program's `load` calls opened, in order. A reference so that builtins, which get
/// their arguments by value, can add to the evaluator's list.
final class LoadedFiles {
    var files: [LoadedFile] = []
}

extension Builtins {
    /// `load(file, chunks=)`: a `.npy` file, read block by block as tasks need it.
    static let files: [String: Builtin] = [
        "load": Builtin(parameters: ["file", "chunks"], required: 1) { (a) throws(ExpressionError) in
            guard let path = try a.string("file") else { throw a.fail("file", "needs a file name") }
            let chunks = try a.creationChunks()
            guard path.hasSuffix(".npy") else {
                throw a.fail("file", "'\(path)': blocktop reads .npy files (the format is named by the extension)", .badValue)
            }
            let file: NPYFile
            do throws(ArrayFileError) {
                file = try NPYFile(path: path)
            } catch {
                throw a.fail("file", error.description, .badValue)
            }
            let array = try a.library { try BlockArray.load(npy: file, chunks: chunks) }
            a.loaded?.files.append(LoadedFile(path: path, dtype: file.header.dtype.description,
                                              order: file.header.fortranOrder ? "Fortran" : "C", shape: file.header.shape))
            return .array(array)
        },
    ]
}
