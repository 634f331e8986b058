/// The array file formats blocktop reads and writes, named by the path's extension.
public enum ArrayFormat: String, CaseIterable, Sendable {
    case npy

    /// The extensions that name each format.
    var extensions: [String] {
        switch self {
        case .npy: return [".npy"]
        }
    }

    /// The format `path` names by its extension (a trailing `/` ignored); throws saying which
    /// extensions blocktop knows.
    public init(path: String) throws(ArrayFileError) {
        var name = Substring(path)
        while name.count > 1 && name.hasSuffix("/") { name = name.dropLast() }
        guard let format = Self.allCases.first(where: { format in format.extensions.contains { name.hasSuffix($0) } }) else {
            throw ArrayFileError(path: path, "unknown format: blocktop reads and writes \(Self.knownExtensions) files (the format is named by the extension)")
        }
        self = format
    }

    /// `.npy`, as messages list them.
    public static var knownExtensions: String {
        allCases.flatMap(\.extensions).joined(separator: ", ")
    }

    /// Opens `path` for reading blocks.
    public func reader(path: String) throws(ArrayFileError) -> any ArrayReader {
        switch self {
        case .npy: return try NPYFile(path: path)
        }
    }

    /// Creates the temporary file for writing an array of `shape` as `elementType` to `path`
    /// (an existing target only when `replacing`).
    public func writer(path: String, shape: [Int], elementType: NPYDType, replacing: Bool) throws(ArrayFileError) -> any ArrayWriter {
        switch self {
        case .npy: return try NPYWriter(path: path, shape: shape, dtype: elementType, replacing: replacing)
        }
    }
}
