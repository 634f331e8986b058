import BlockArray
import BlocktopSupport
import Glibc

/// A `.npy` file being written block by block (C order, little-endian, format 1.0, or 2.0 for a
/// header past 64 KiB), by tasks in parallel, into a temporary file beside the target that
/// `commit()` renames over it (see `StagedFile`): whole or absent.
public final class NPYWriter: ArrayWriter {
    /// The path as the user named it.
    public let path: String
    public let shape: [Int]
    public let dtype: NPYDType
    private let file: StagedFile
    public var elementType: String { dtype.name }
    /// Blocks go at their offsets, whatever their shape.
    public var requiredChunks: [Int]? { nil }
    private let dataOffset: Int

    /// Creates the temporary file with the header and the full size. Throws naming the file when
    /// it exists and `replacing` is not set, when it is not a regular file (a FIFO or a device), or
    /// when it cannot be created.
    public init(path: String, shape: [Int], dtype: NPYDType, replacing: Bool) throws(ArrayFileError) {
        self.path = path
        self.shape = shape
        self.dtype = dtype
        do throws(OutputFileError) {
            file = try StagedFile(path: path, replacing: replacing)
        } catch {
            throw ArrayFileError(path: path, Self.explain(error, replacing: replacing))
        }
        let header = NPYHeader.encode(shape: shape, dtype: dtype)
        dataOffset = header.count
        do throws(OutputFileError) {
            let written = header.withUnsafeBytes { (bytes) in Result { () throws(OutputFileError) in try file.write(bytes, at: 0) } }
            try written.get()
            try file.setSize(header.count + elementCount(shape) * dtype.size)
        } catch {
            throw ArrayFileError(path: path, Self.explain(error, replacing: replacing))
        }
    }

    /// The reason `error` gives, in words for a `--output` file.
    static func explain(_ error: OutputFileError, replacing: Bool) -> String {
        switch error.code {
        case EEXIST where error.step == .create: return "exists; give --force to replace it"
        case ESPIPE: return "is not a regular file: an array is written at offsets, and a FIFO or device is never replaced"
        case EISDIR: return "is a folder"
        default: return error.description
        }
    }

    /// Writes `block` (float64, row-major), which sits at `offset` of the array, converting it to
    /// the file's dtype; throws naming the element that does not fit the dtype, or a failed write.
    public func write(_ block: DenseArray, at offset: [Int]) throws(ArrayFileError) {
        let blockShape = block.shape
        guard block.count > 0 else { return }
        let runs = BlockRuns(arrayShape: shape, offset: offset, shape: blockShape)
        let runLength = runs.runLength
        let direct = dtype.isNativeFloat64
        let scratch: UnsafeMutableRawPointer? = direct ? nil : .allocate(byteCount: runLength * dtype.size, alignment: 16)
        defer { scratch?.deallocate() }
        var read = 0
        try block.storage.withUnsafeBufferPointer { (values) throws(ArrayFileError) in
            try runs.forEach { (element) throws(ArrayFileError) in
                let source = values.baseAddress! + read
                let bytes: UnsafeRawBufferPointer
                if direct {
                    bytes = UnsafeRawBufferPointer(start: source, count: runLength * 8)
                } else {
                    if let problem = dtype.encode(source, count: runLength, into: scratch!) {
                        throw ArrayFileError(path: path, unfitElement(problem.value, at: read + problem.position,
                                                                      blockShape: blockShape, offset: offset, dtype: dtype))
                    }
                    bytes = UnsafeRawBufferPointer(start: scratch, count: runLength * dtype.size)
                }
                do throws(OutputFileError) {
                    try file.write(bytes, at: dataOffset + element * dtype.size)
                } catch {
                    throw ArrayFileError(path: path, error.description)
                }
                read += runLength
            }
        }
    }

    /// Puts the finished file in place of the target; call once every block is written.
    public func commit() throws(ArrayFileError) {
        do throws(OutputFileError) {
            try file.commit()
        } catch {
            throw ArrayFileError(path: path, error.description)
        }
    }

    /// Removes the unfinished file, leaving the target as it was (after a failed or cancelled run).
    public func abandon() { file.abandon() }
}

/// Why `value`, at row-major `position` of a block of `blockShape` at `offset`, cannot be written as
/// `dtype`: `element [3, 4] is NaN, which int32 cannot hold`.
func unfitElement(_ value: Double, at position: Int, blockShape: [Int], offset: [Int], dtype: NPYDType) -> String {
    "element \(globalIndex(ofElement: position, inBlockOf: blockShape, at: offset)) is \(value.isNaN ? "NaN" : "\(value)"), which \(dtype.name) cannot hold"
}
