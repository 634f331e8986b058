import BlockArray
import CHDF5
import Glibc

/// A dataset of an HDF5 file open for reading blocks, through the HDF5 C library.
///
/// Each block is one hyperslab read (`H5Dread`), so HDF5 reads just the chunks the block touches
/// and decompresses them. The elements come as they are stored (straight into the block when they
/// are float64 in the machine's order) and are converted to float64 by `NPYDType.decode`, as for a
/// `.npy` file: outside HDF5, so conversions run in parallel, and exactly as NumPy's `astype`
/// (HDF5's own conversion of big-endian and 16-bit floats turns every NaN into another one). The
/// dataset's chunk shape, when it is chunked, gives the blocks `load` makes when `chunks=` is not
/// given. Calls into HDF5 go through `HDF5.serialized`: tasks read in parallel, HDF5 serves them
/// one at a time.
public final class HDF5File: ArrayReader {
    /// The file as the user named it (for messages).
    public let path: String
    /// The dataset's name in the file: `/group/x`.
    public let dataset: String
    public let shape: [Int]
    public let dtype: NPYDType
    /// `contiguous`, `compact`, or `chunked 100×100` with the filters that encode the chunks.
    public let layout: String
    /// The chunk shape of a chunked dataset; nil for another layout.
    public let naturalChunks: [Int]?
    /// The file's path, size and modification time when opened, and the dataset, for task keys.
    public let identity: [String]
    private let file: hid_t
    private let handle: hid_t
    /// The dataset's element type as stored, which blocks are read in.
    private let storedType: hid_t

    public var elementType: String { dtype.description }

    /// Opens the dataset `dataset` of the HDF5 file at `path`, or its only dataset when `dataset`
    /// is nil; throws naming the file when it is missing or not an HDF5 file, and the dataset when
    /// there is no such dataset, it is a group, holds elements blocktop does not read, or needs a
    /// filter this HDF5 library does not have.
    public init(path: String, dataset: String?) throws(ArrayFileError) {
        self.path = path
        let (size, modified) = try Self.checkReadable(path)
        let opened: Opened
        do throws(HDF5Error) {
            opened = try HDF5.serialized { () throws(HDF5Error) in try Opened(path: path, dataset: dataset) }
        } catch {
            throw ArrayFileError(path: path, error.message)
        }
        self.dataset = opened.name
        file = opened.file
        handle = opened.dataset
        storedType = opened.type
        shape = opened.shape
        dtype = opened.dtype
        layout = opened.layout
        naturalChunks = opened.chunks
        identity = [path, "\(size)", modified, opened.name]
    }

    deinit {
        _ = try? HDF5.serialized { () throws(HDF5Error) in
            H5Tclose(storedType)
            H5Dclose(handle)
            H5Fclose(file)
        }
    }

    /// The size and modification time of `path`, or why it cannot be read (as for any array file).
    private static func checkReadable(_ path: String) throws(ArrayFileError) -> (size: Int, modified: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ArrayFileError(path: path, "cannot open: \(systemReason(errno))") }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw ArrayFileError(path: path, "cannot read: \(systemReason(errno))") }
        guard info.st_mode & S_IFMT != S_IFDIR else { throw ArrayFileError(path: path, "is a folder, not an HDF5 file") }
        return (Int(info.st_size), "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)")
    }

    /// Reads the block at `offset` of `shape` into `destination` as float64 in row-major order;
    /// throws naming the dataset when HDF5 cannot read it (a corrupt chunk). Elements of another
    /// type than float64 pass through a buffer of the block's size in that type.
    public func readBlock(offset: [Int], shape: [Int], into destination: UnsafeMutableBufferPointer<Double>) throws(ArrayFileError) {
        let count = elementCount(shape)
        precondition(destination.count >= count && offset.count == self.shape.count && shape.count == offset.count)
        guard count > 0 else { return }
        let stored: UnsafeMutableRawPointer? = dtype.isNativeFloat64 ? nil : .allocate(byteCount: count * dtype.size, alignment: 16)
        defer { stored?.deallocate() }
        let target = stored ?? UnsafeMutableRawPointer(destination.baseAddress!)
        do throws(HDF5Error) {
            try HDF5.serialized { () throws(HDF5Error) -> Void in
                try HDF5BlockSpaces.with(handle, offset: offset, shape: shape) { (fileSpace, memorySpace) throws(HDF5Error) -> Void in
                    try HDF5.check(H5Dread(handle, storedType, memorySpace, fileSpace, bt_h5_p_default(), target), "cannot read")
                }
            }
        } catch {
            throw ArrayFileError(path: path, "dataset '\(dataset)': \(error.message)")
        }
        if let stored { dtype.decode(stored, count: count, into: destination.baseAddress!) }
    }
}

/// What opening a dataset finds: the file and dataset ids, held open, and what the dataset holds.
private struct Opened: Sendable {
    let file: hid_t
    let dataset: hid_t
    let name: String
    let shape: [Int]
    /// The element type as stored (open: the reader closes it), and the NumPy type it is.
    let type: hid_t
    let dtype: NPYDType
    let layout: String
    let chunks: [Int]?

    /// Opens the file and the dataset and reads what it is; closes what it opened when it throws.
    /// Call inside `HDF5.serialized`.
    init(path: String, dataset requested: String?) throws(HDF5Error) {
        guard H5Fis_hdf5(path) > 0 else {
            H5Eclear2(bt_h5_e_default())
            throw HDF5Error("is not an HDF5 file")
        }
        file = try HDF5.check(H5Fopen(path, bt_h5_f_acc_rdonly(), bt_h5_p_default()), "cannot open")
        let found: (dataset: hid_t, name: String)
        do throws(HDF5Error) {
            found = try HDF5Datasets.open(requested, in: file)
        } catch {
            H5Fclose(file)
            throw error
        }
        dataset = found.dataset
        name = found.name
        do throws(HDF5Error) {
            shape = try Self.shape(of: found.dataset)
            (layout, chunks) = try Self.layout(of: found.dataset, rank: shape.count)
            (type, dtype) = try Self.elementType(of: found.dataset)
        } catch {
            H5Dclose(found.dataset)
            H5Fclose(file)
            throw HDF5Error("dataset '\(found.name)': \(error.message)")
        }
    }

    private static func shape(of dataset: hid_t) throws(HDF5Error) -> [Int] {
        let space = try HDF5.check(H5Dget_space(dataset), "cannot read its shape")
        defer { H5Sclose(space) }
        switch H5Sget_simple_extent_type(space) {
        case H5S_SCALAR:
            return []
        case H5S_SIMPLE:
            let rank = try HDF5.check(H5Sget_simple_extent_ndims(space), "cannot read its shape")
            var extents = [hsize_t](repeating: 0, count: Int(rank))
            try HDF5.check(H5Sget_simple_extent_dims(space, &extents, nil), "cannot read its shape")
            guard extents.allSatisfy({ $0 <= hsize_t(Int.max) }) else { throw HDF5Error("its shape \(extents) is too large") }
            return extents.map { Int($0) }
        default:
            throw HDF5Error("it holds no elements (a null dataspace)")
        }
    }

    /// The dataset's element type, open, and the NumPy type it is; throws when blocktop does not read it.
    private static func elementType(of dataset: hid_t) throws(HDF5Error) -> (hid_t, NPYDType) {
        let type = try HDF5.check(H5Dget_type(dataset), "cannot read its element type")
        do throws(HDF5Error) {
            return (type, try NPYDType.hdf5(type))
        } catch {
            H5Tclose(type)
            throw error
        }
    }

    /// The layout in words, and the chunk shape when it is chunked.
    private static func layout(of dataset: hid_t, rank: Int) throws(HDF5Error) -> (String, [Int]?) {
        let properties = try HDF5.check(H5Dget_create_plist(dataset), "cannot read its layout")
        defer { H5Pclose(properties) }
        switch H5Pget_layout(properties) {
        case H5D_CHUNKED:
            var extents = [hsize_t](repeating: 0, count: rank)
            try HDF5.check(H5Pget_chunk(properties, Int32(rank), &extents), "cannot read its chunk shape")
            let chunks = extents.map { Int($0) }
            let filters = try filterNames(properties)
            return ("chunked " + chunks.map(String.init).joined(separator: "×")
                    + (filters.isEmpty ? "" : " (\(filters.joined(separator: ", ")))"), chunks)
        case H5D_CONTIGUOUS: return ("contiguous", nil)
        case H5D_COMPACT: return ("compact", nil)
        case H5D_VIRTUAL: return ("virtual", nil)
        default: throw HDF5Error("cannot read its layout: \(HDF5.takeErrorReason())")
        }
    }

    /// The names of the filters that encode the chunks (`deflate`, `shuffle` …); throws naming one
    /// this HDF5 library does not have, which no chunk could be read without.
    private static func filterNames(_ properties: hid_t) throws(HDF5Error) -> [String] {
        let count = try HDF5.check(H5Pget_nfilters(properties), "cannot read its filters")
        var names: [String] = []
        for index in 0..<UInt32(count) {
            var flags: UInt32 = 0, valueCount = 0, configuration: UInt32 = 0
            var name = [CChar](repeating: 0, count: 80)
            let filter = try HDF5.check(H5Pget_filter2(properties, index, &flags, &valueCount, nil, name.count, &name, &configuration),
                                        "cannot read its filters")
            let filterName = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard H5Zfilter_avail(filter) > 0 else {
                H5Eclear2(bt_h5_e_default())
                throw HDF5Error("its chunks are encoded with the filter '\(filterName)' (id \(filter)), which this HDF5 library does not have")
            }
            names.append(filterName)
        }
        return names
    }
}
