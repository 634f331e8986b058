import BlockArray
import BlocktopSupport

/// A Zarr store (format 3 by default, or 2) being written block by block: one chunk per block,
/// C order, little-endian, zstd at level 0 (zstd's default, 3), which is what zarr-python 3
/// writes by default for both formats; fill value 0. Each block's task encodes and writes its
/// chunk file, in parallel, into a temporary folder beside the target that `commit()` renames to
/// it (see `StagedStoreFolder`): whole or absent.
public final class ZarrWriter: ArrayWriter {
    /// The store as the user named it.
    public let path: String
    public let shape: [Int]
    public let dtype: NPYDType
    public let zarrFormat: Int
    /// The chunk shape: the blocks the array is rechunked to before writing.
    public let chunkShape: [Int]
    private let folder: StagedStoreFolder
    private let chunkKeys: ZarrChunkKeyEncoding
    private let codecs: ZarrCodecPipeline

    public var elementType: String { dtype.name }
    public var requiredChunks: [Int]? { chunkShape }

    /// Creates the temporary folder and writes the metadata into it; chunks of `chunkShape`
    /// (extents below 1 become 1). Throws naming the store when the target cannot be written:
    /// it exists without `replacing`, is not a Zarr store folder, or is a link, file or device.
    public init(path: String, shape: [Int], chunkShape: [Int], dtype: NPYDType, zarrFormat: Int, replacing: Bool) throws(ArrayFileError) {
        precondition((zarrFormat == 2 || zarrFormat == 3) && chunkShape.count == shape.count)
        self.path = path
        self.shape = shape
        self.dtype = NPYDType(kind: dtype.kind, size: dtype.size, byteOrder: .little)!
        self.zarrFormat = zarrFormat
        self.chunkShape = chunkShape.map { max($0, 1) }
        chunkKeys = zarrFormat == 3 ? .prefixed(separator: "/") : .bare(separator: ".")
        codecs = ZarrCodecPipeline(order: nil, layout: .elements(self.dtype), compressors: [.zstd(level: 0)])
        folder = try StagedStoreFolder(path: path, replacing: replacing)
        let (name, text) = zarrFormat == 3 ? ("zarr.json", metadataV3) : (".zarray", metadataV2)
        do throws(ZarrCodecError) {
            try folder.write(Array(text.utf8), to: name)
        } catch {
            folder.abandon()
            throw ArrayFileError(path: path, "\(name): \(error.message)")
        }
    }

    /// Encodes `block` (float64, row-major), which sits at `offset` of the array, as the chunk
    /// there (padded with the fill value past the array's edge) and writes its file; throws
    /// naming the element that does not fit the dtype, or a failed write.
    public func write(_ block: DenseArray, at offset: [Int]) throws(ArrayFileError) {
        guard block.count > 0 else { return }
        let index = zip(offset, chunkShape).map { $0 / $1 }
        let key = chunkKeys.key(index)
        let count = elementCount(chunkShape)
        let encoded: [UInt8]
        do throws(NPYDType.EncodeProblem) {
            encoded = try block.storage.withUnsafeBufferPointer { (values) throws(NPYDType.EncodeProblem) in
                guard block.shape != chunkShape else { return try codecs.encode(values.baseAddress!, count: count) }
                let padded = UnsafeMutablePointer<Double>.allocate(capacity: count)
                defer { padded.deallocate() }
                padded.initialize(repeating: 0, count: count)
                stridedCopy(extent: block.shape, from: values.baseAddress!, strides: rowMajorStrides(block.shape),
                            to: padded, strides: rowMajorStrides(chunkShape))
                return try codecs.encode(padded, count: count)
            }
        } catch {
            throw ArrayFileError(path: path, unfitElement(error.value, at: error.position, blockShape: chunkShape, offset: offset, dtype: dtype))
        }
        do throws(ZarrCodecError) {
            try folder.write(encoded, to: key)
        } catch {
            throw ArrayFileError(path: path, "chunk '\(key)': \(error.message)")
        }
    }

    /// Throws unless `path` could be written as a store now (see `init`), before a run starts.
    public static func checkTarget(_ path: String, replacing: Bool) throws(ArrayFileError) {
        try StagedStoreFolder.check(path: path, replacing: replacing)
    }

    public func commit() throws(ArrayFileError) { try folder.commit() }

    public func abandon() { folder.abandon() }

    /// The `zarr.json` of the store.
    private var metadataV3: String {
        JSON.object([
            ("zarr_format", .integer(3)), ("node_type", .string("array")), ("shape", extents(shape)),
            ("data_type", .string(dtype.name)),
            ("chunk_grid", .object([("name", .string("regular")), ("configuration", .object([("chunk_shape", extents(chunkShape))]))])),
            ("chunk_key_encoding", .object([("name", .string("default")), ("configuration", .object([("separator", .string("/"))]))])),
            ("fill_value", .integer(0)),
            ("codecs", .array([.object([("name", .string("bytes")), ("configuration", .object([("endian", .string("little"))]))]),
                               .object([("name", .string("zstd")), ("configuration", .object([("level", .integer(0)), ("checksum", .bool(false))]))])])),
            ("attributes", .object([])), ("storage_transformers", .array([])),
        ]).serialized() + "\n"
    }

    /// The `.zarray` of the store.
    private var metadataV2: String {
        JSON.object([
            ("zarr_format", .integer(2)), ("shape", extents(shape)), ("chunks", extents(chunkShape)), ("dtype", .string(dtype.descr)),
            ("compressor", .object([("id", .string("zstd")), ("level", .integer(0))])), ("fill_value", .integer(0)),
            ("order", .string("C")), ("filters", .null), ("dimension_separator", .string(".")),
        ]).serialized() + "\n"
    }

    private func extents(_ sizes: [Int]) -> JSON { .array(sizes.map { .integer(Int128($0)) }) }
}
