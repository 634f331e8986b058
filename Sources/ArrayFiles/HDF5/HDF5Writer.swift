import BlockArray
import BlocktopSupport
import CHDF5
import Glibc
import Synchronization

/// An HDF5 file being written block by block: one chunked dataset whose chunks are the array's
/// blocks, each block written as a hyperslab by the task that finishes it, into a temporary file
/// beside the target that `commit()` closes and renames over it (see `StagedFile`): whole or absent.
///
/// The file holds only this dataset (intermediate groups are made); replacing a file replaces all of it.
public final class HDF5Writer: ArrayWriter {
    /// The dataset written when the user names none.
    public static let defaultDataset = "/data"

    /// The path as the user named it.
    public let path: String
    /// The dataset's name in the file: `/group/x`.
    public let dataset: String
    public let shape: [Int]
    public let dtype: NPYDType
    public var elementType: String { dtype.name }
    /// Blocks go where they belong, whatever their shape.
    public var requiredChunks: [Int]? { nil }
    private let staged: StagedFile
    /// The file's type for `dtype` (little-endian), which blocks are encoded to before HDF5 gets them.
    private let storedType: hid_t
    /// The HDF5 file and dataset, while open (nil once committed or abandoned); writes hold the lock.
    private let handles: Mutex<Handles?>

    private struct Handles {
        let file: hid_t
        let dataset: hid_t

        /// Closes the dataset and the file, which flushes it; throws when the flush fails.
        func close() throws(HDF5Error) {
            try HDF5.serialized { () throws(HDF5Error) in
                let closedDataset = H5Dclose(dataset)
                try HDF5.check(H5Fclose(file), "cannot finish the file")
                try HDF5.check(closedDataset, "cannot finish the dataset")
            }
        }
    }

    /// Creates the temporary file with the dataset, chunked as `chunks` (the array's block shape).
    /// Throws naming the file when it exists and `replacing` is not set, when it is not a regular
    /// file (a FIFO or a device), when it cannot be created, or when `dataset` is not a dataset's name.
    public init(path: String, dataset: String, shape: [Int], chunks: [Int], dtype: NPYDType, replacing: Bool) throws(ArrayFileError) {
        self.path = path
        self.dataset = dataset
        self.shape = shape
        self.dtype = dtype
        switch dtype {
        case .float64: storedType = bt_h5_t_ieee_f64le()
        case .float32: storedType = bt_h5_t_ieee_f32le()
        case .int32: storedType = bt_h5_t_std_i32le()
        case .int64: storedType = bt_h5_t_std_i64le()
        default: throw ArrayFileError(path: path, "HDF5 output is float64, float32, int32 or int64, not \(dtype.name)")
        }
        guard !dataset.split(separator: "/").isEmpty && !dataset.hasSuffix("/") else {
            throw ArrayFileError(path: path, "'\(dataset)' does not name a dataset (such as /data or /group/x)")
        }
        do throws(OutputFileError) {
            staged = try StagedFile(path: path, replacing: replacing)
        } catch {
            throw ArrayFileError(path: path, NPYWriter.explain(error, replacing: replacing))
        }
        do throws(HDF5Error) {
            let storedType = storedType, temporary = staged.temporaryPath
            handles = Mutex(try HDF5.serialized { () throws(HDF5Error) in
                try Self.create(temporary, dataset: dataset, shape: shape, chunks: chunks, type: storedType)
            })
        } catch {
            staged.abandon()
            throw ArrayFileError(path: path, "dataset '\(dataset)': \(error.message)")
        }
    }

    deinit {
        try? handles.withLock { $0 }?.close()
    }

    /// Creates the file at `temporary` and the dataset in it. Call inside `HDF5.serialized`.
    private static func create(_ temporary: String, dataset: String, shape: [Int], chunks: [Int], type: hid_t) throws(HDF5Error) -> Handles {
        let file = try HDF5.check(H5Fcreate(temporary, bt_h5_f_acc_trunc(), bt_h5_p_default(), bt_h5_p_default()), "cannot create the file")
        do throws(HDF5Error) {
            let extents = shape.map { hsize_t($0) }
            let space = try HDF5.check(shape.isEmpty ? H5Screate(H5S_SCALAR) : H5Screate_simple(Int32(shape.count), extents, nil),
                                       "cannot describe its shape")
            defer { H5Sclose(space) }
            let linkProperties = try HDF5.check(H5Pcreate(bt_h5_p_link_create()), "cannot make its groups")
            defer { H5Pclose(linkProperties) }
            try HDF5.check(H5Pset_create_intermediate_group(linkProperties, 1), "cannot make its groups")
            let creationProperties = try HDF5.check(H5Pcreate(bt_h5_p_dataset_create()), "cannot chunk it")
            defer { H5Pclose(creationProperties) }
            if !shape.isEmpty {
                // A chunk of an empty axis still has one element along it.
                let chunkExtents = chunks.map { hsize_t(max($0, 1)) }
                try HDF5.check(H5Pset_chunk(creationProperties, Int32(shape.count), chunkExtents), "cannot chunk it as \(chunks)")
            }
            let dataset = try HDF5.check(H5Dcreate2(file, dataset, type, space, linkProperties, creationProperties, bt_h5_p_default()),
                                         "cannot create it")
            return Handles(file: file, dataset: dataset)
        } catch {
            H5Fclose(file)
            throw error
        }
    }

    /// Writes `block` (float64, row-major), which sits at `offset` of the array, converted to the
    /// dataset's type; throws naming the element that does not fit it, or a failed write.
    public func write(_ block: DenseArray, at offset: [Int]) throws(ArrayFileError) {
        guard block.count > 0 else { return }
        let encoded: UnsafeMutableRawPointer? = dtype.isNativeFloat64 ? nil : .allocate(byteCount: block.count * dtype.size, alignment: 16)
        defer { encoded?.deallocate() }
        try block.storage.withUnsafeBufferPointer { (values) throws(ArrayFileError) in
            if let encoded, let problem = dtype.encode(values.baseAddress!, count: block.count, into: encoded) {
                throw ArrayFileError(path: path, unfitElement(problem.value, at: problem.position, blockShape: block.shape,
                                                                  offset: offset, dtype: dtype))
            }
            let bytes = encoded.map(UnsafeRawPointer.init) ?? UnsafeRawPointer(values.baseAddress!)
            do throws(HDF5Error) {
                try handles.withLock { (handles) throws(HDF5Error) in
                    guard let handles else { throw HDF5Error("the file was already closed") }
                    try HDF5.serialized { () throws(HDF5Error) -> Void in
                        try HDF5BlockSpaces.with(handles.dataset, offset: offset, shape: block.shape) { (fileSpace, memorySpace) throws(HDF5Error) -> Void in
                            try HDF5.check(H5Dwrite(handles.dataset, storedType, memorySpace, fileSpace, bt_h5_p_default(), bytes), "cannot write")
                        }
                    }
                }
            } catch {
                throw ArrayFileError(path: path, "dataset '\(dataset)': \(error.message)")
            }
        }
    }

    /// Closes the file (HDF5 flushes it) and puts it in place of the target; call once every
    /// block is written. When HDF5 cannot finish the file, nothing is put in place.
    public func commit() throws(ArrayFileError) {
        do throws(HDF5Error) {
            try handles.withLock { (handles) throws(HDF5Error) in
                defer { handles = nil }
                try handles?.close()
            }
        } catch {
            staged.abandon()
            throw ArrayFileError(path: path, error.message)
        }
        do throws(OutputFileError) {
            try staged.commit()
        } catch {
            throw ArrayFileError(path: path, error.description)
        }
    }

    /// Closes and removes the unfinished file, leaving the target as it was.
    public func abandon() {
        handles.withLock { handles in
            try? handles?.close()
            handles = nil
        }
        staged.abandon()
    }
}
