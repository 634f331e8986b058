import BlockArray
import BlocktopSupport
import Glibc

/// A `.npy` file being written block by block (C order, little-endian, format 1.0, or 2.0 for a
/// header past 64 KiB), by tasks in parallel, into a temporary file beside the target that
/// `commit()` renames over it (see `StagedFile`): whole or absent.
public final class NPYWriter: Sendable {
    /// The path as the user named it.
    public let path: String
    public let shape: [Int]
    public let dtype: NPYDType
    private let file: StagedFile
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
        let rank = shape.count
        guard block.count > 0 else { return }
        var strides = [Int](repeating: 1, count: rank)
        for axis in stride(from: rank - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
        var runAxis = rank - 1
        while runAxis > 0 && blockShape[runAxis] == shape[runAxis] { runAxis -= 1 }
        let runLength = rank == 0 ? 1 : blockShape[runAxis] * strides[runAxis]
        let outer = Array(blockShape.prefix(max(runAxis, 0)))
        var index = [Int](repeating: 0, count: outer.count)
        let direct = dtype.isNativeFloat64
        let scratch: UnsafeMutableRawPointer? = direct ? nil : .allocate(byteCount: runLength * dtype.size, alignment: 16)
        defer { scratch?.deallocate() }
        var read = 0
        try block.storage.withUnsafeBufferPointer { (values) throws(ArrayFileError) in
            while true {
                var element = rank == 0 ? 0 : offset[runAxis] * strides[runAxis]
                for axis in 0..<outer.count { element += (offset[axis] + index[axis]) * strides[axis] }
                let source = values.baseAddress! + read
                let bytes: UnsafeRawBufferPointer
                if direct {
                    bytes = UnsafeRawBufferPointer(start: source, count: runLength * 8)
                } else {
                    if let problem = dtype.encode(source, count: runLength, into: scratch!) {
                        throw ArrayFileError(path: path, "element \(globalIndex(read + problem.position, blockShape: blockShape, offset: offset)) "
                                             + "is \(problem.value.isNaN ? "NaN" : "\(problem.value)"), which \(dtype.name) cannot hold")
                    }
                    bytes = UnsafeRawBufferPointer(start: scratch, count: runLength * dtype.size)
                }
                do throws(OutputFileError) {
                    try file.write(bytes, at: dataOffset + element * dtype.size)
                } catch {
                    throw ArrayFileError(path: path, error.description)
                }
                read += runLength
                var axis = outer.count - 1
                while axis >= 0 {
                    index[axis] += 1
                    if index[axis] < outer[axis] { break }
                    index[axis] = 0
                    axis -= 1
                }
                if axis < 0 { return }
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

/// The global index of the element at row-major position `position` of a block at `offset`.
private func globalIndex(_ position: Int, blockShape: [Int], offset: [Int]) -> [Int] {
    var index = offset
    var rest = position
    for axis in stride(from: blockShape.count - 1, through: 0, by: -1) {
        index[axis] += rest % blockShape[axis]
        rest /= blockShape[axis]
    }
    return index
}
