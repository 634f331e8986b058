import BlockArray
import Glibc

/// A `.npy` file open for reading blocks: its header, checked against the file's size, and a
/// descriptor shared by the tasks that read it.
///
/// Nothing is mapped: each block is read with `pread` of just its bytes (for C order, the block's
/// rows are runs of contiguous bytes, merged where the block spans whole trailing axes; Fortran
/// order likewise from the first axis), straight into the block when the file holds float64 in
/// the machine's byte order, else through a small buffer that is converted. So summing a file
/// larger than memory only ever holds the blocks in flight.
public final class NPYFile: ArrayReader {
    /// The file as the user named it (for messages).
    public let path: String
    public let header: NPYHeader
    private let descriptor: SharedDescriptor
    /// The file's path, size and modification time when opened, for task keys.
    public let identity: [String]

    /// Opens `path` and reads its header; throws naming the file when it is missing, not a `.npy`
    /// file, of a dtype blocktop does not read, or shorter than its header says.
    public init(path: String) throws(ArrayFileError) {
        self.path = path
        descriptor = try SharedDescriptor.openForReading(path)
        var start = [UInt8](repeating: 0, count: 12)
        let got = try Self.read(descriptor, path, into: &start, at: 0)
        let needed: Int?
        do throws(NPYHeaderError) {
            needed = try NPYHeader.requiredBytes(start.prefix(got))
        } catch {
            throw ArrayFileError(path: path, error.description)
        }
        guard let needed else { throw ArrayFileError(path: path, "the file ends inside its header (\(got) bytes)") }
        var bytes = [UInt8](repeating: 0, count: needed)
        let read = try Self.read(descriptor, path, into: &bytes, at: 0)
        do throws(NPYHeaderError) {
            header = try NPYHeader.parse(bytes.prefix(read))
        } catch {
            throw ArrayFileError(path: path, error.description)
        }
        let (size, modified) = descriptor.identity()
        let end = header.dataOffset.addingReportingOverflow(header.dataBytes)
        guard !end.overflow, size >= end.partialValue else {
            throw ArrayFileError(path: path, "its header says \(header.dtype.name) data of shape \(NPYHeader.describe(header.shape)), "
                                 + "\(header.dataBytes) bytes from byte \(header.dataOffset), but the file has \(size) bytes")
        }
        identity = [path, "\(size)", modified]
    }

    private static func read(_ descriptor: SharedDescriptor, _ path: String, into bytes: inout [UInt8],
                             at offset: Int) throws(ArrayFileError) -> Int {
        let count = bytes.count
        let result = bytes.withUnsafeMutableBytes { descriptor.read(into: $0.baseAddress!, count: count, at: offset) }
        switch result {
        case .success(let got): return got
        case .failure(let error): throw ArrayFileError(path: path, "cannot read: \(systemReason(error.code))")
        }
    }

    public var shape: [Int] { header.shape }
    public var elementType: String { header.dtype.description }
    public var layout: String { header.fortranOrder ? "Fortran" : "C" }
    /// A `.npy` file is one piece: slabs contiguous in it, each block one read (`contiguousSlabs`).
    public var naturalChunks: [Int]? { contiguousSlabs(shape: header.shape, fortranOrder: header.fortranOrder) }

    /// Reads the block at `offset` of `shape` into `destination` as float64 in row-major order;
    /// throws naming the file when the file is now shorter than the block needs, or a read fails.
    public func readBlock(offset: [Int], shape: [Int], into destination: UnsafeMutableBufferPointer<Double>) throws(ArrayFileError) {
        let count = elementCount(shape)
        precondition(destination.count >= count && offset.count == header.shape.count && shape.count == offset.count)
        guard count > 0 else { return }
        guard header.fortranOrder && shape.count > 1 else {
            try readRowMajor(fileShape: header.shape, offset: offset, shape: shape, into: destination.baseAddress!)
            return
        }
        // Fortran order is C order of the reversed shape: read the block that way, then transpose it.
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: count)
        defer { scratch.deallocate() }
        try readRowMajor(fileShape: header.shape.reversed(), offset: offset.reversed(), shape: shape.reversed(), into: scratch)
        // Axis i of the block is axis rank-1-i of what was read.
        let readShape = Array(shape.reversed())
        stridedCopy(extent: shape, from: scratch, strides: rowMajorStrides(readShape).reversed(),
                    to: destination.baseAddress!, strides: rowMajorStrides(shape))
    }

    /// The most bytes converted in one piece, so a block of another type needs only this much more memory.
    private static let conversionBytes = 1 << 20

    /// Reads a block of a row-major array of `fileShape` into `destination`, row-major.
    private func readRowMajor(fileShape: [Int], offset: [Int], shape: [Int], into destination: UnsafeMutablePointer<Double>) throws(ArrayFileError) {
        let runs = BlockRuns(arrayShape: fileShape, offset: offset, shape: shape)
        let runLength = runs.runLength
        let itemSize = header.dtype.size
        let direct = header.dtype.isNativeFloat64
        let pieceElements = max(1, Self.conversionBytes / itemSize)
        let scratch: UnsafeMutableRawPointer? = direct ? nil
            : .allocate(byteCount: min(runLength, pieceElements) * itemSize, alignment: 16)
        defer { scratch?.deallocate() }
        var written = 0
        try runs.forEach { (element) throws(ArrayFileError) in
            var done = 0
            while done < runLength {
                let piece = direct ? runLength - done : min(runLength - done, pieceElements)
                let target = direct ? UnsafeMutableRawPointer(destination + written) : scratch!
                try readBytes(into: target, count: piece * itemSize, at: header.dataOffset + (element + done) * itemSize)
                if !direct { header.dtype.decode(scratch!, count: piece, into: destination + written) }
                done += piece
                written += piece
            }
        }
    }

    private func readBytes(into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int) throws(ArrayFileError) {
        switch descriptor.read(into: buffer, count: count, at: offset) {
        case .success(let got) where got == count: return
        case .success(let got):
            throw ArrayFileError(path: path, "the file ends at byte \(offset + got), but the block needs bytes \(offset)–\(offset + count - 1) "
                                 + "(it is shorter than its header says: truncated?)")
        case .failure(let error):
            throw ArrayFileError(path: path, "cannot read bytes \(offset)–\(offset + count - 1): \(systemReason(error.code))")
        }
    }
}
