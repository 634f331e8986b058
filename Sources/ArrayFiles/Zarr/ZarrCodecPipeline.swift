import BlockArray

/// How a chunk's elements become the bytes of its file, and back: an optional axis permutation,
/// the elements' bytes (or a shard of inner chunks), then compression and checksum stages.
///
/// Zarr 3 names these codecs (`transpose`, `bytes` or `sharding_indexed`, then `zstd`, `blosc`,
/// `gzip`, `crc32c`); a Zarr 2 array has the same shape of pipeline: `order: "F"` is the
/// reversing permutation, the dtype gives the byte order, and `filters` then `compressor` are
/// the byte stages.
public struct ZarrCodecPipeline: Equatable, Sendable {
    /// The permutation applied to the chunk before it is stored: stored axis `i` is chunk axis
    /// `order[i]` (NumPy's `transpose(order)`); nil for none.
    public let order: [Int]?
    public let layout: Layout
    /// The byte stages, in the order they were applied when writing.
    public let compressors: [ZarrBytesCodec]

    /// What the chunk's uncompressed bytes are.
    public indirect enum Layout: Equatable, Sendable {
        /// The elements, in this type and byte order, in row-major order of the (permuted) chunk.
        case elements(NPYDType)
        /// A shard: inner chunks, each encoded alone, and an index of where they are.
        case sharded(ZarrSharding)
    }

    /// Decodes `bytes`, the file of a chunk of `shape`, into `destination` as float64, row-major
    /// (only for a pipeline of `.elements`; a shard is read through its index). The last stage
    /// decompresses straight into `destination` when the chunk is float64 in the machine's order
    /// and not permuted.
    func decode(_ bytes: [UInt8], shape: [Int], into destination: UnsafeMutablePointer<Double>) throws(ZarrCodecError) {
        guard case .elements(let dtype) = layout else { preconditionFailure("a shard is read through its index") }
        let count = elementCount(shape)
        let byteCount = count * dtype.size
        var data = bytes
        for codec in compressors.dropFirst().reversed() {
            data = try data.withUnsafeBufferPointer { (input) throws(ZarrCodecError) in try codec.decode(UnsafeRawBufferPointer(input)) }
        }
        let direct = dtype.isNativeFloat64 && (order == nil || count <= 1)
        let raw = direct ? UnsafeMutableRawBufferPointer(start: destination, count: byteCount)
            : .allocate(byteCount: byteCount, alignment: 16)
        defer { if !direct { raw.deallocate() } }
        try data.withUnsafeBufferPointer { (elements) throws(ZarrCodecError) in
            let input = UnsafeRawBufferPointer(elements)
            if let first = compressors.first {
                try first.decode(input, into: raw)
            } else {
                guard input.count == byteCount else { throw ZarrCodecError.wrongSize(input.count, expected: byteCount) }
                raw.copyMemory(from: input)
            }
        }
        guard !direct else { return }
        guard let order, count > 1 else {
            dtype.decode(UnsafeRawPointer(raw.baseAddress!), count: count, into: destination)
            return
        }
        let stored = UnsafeMutablePointer<Double>.allocate(capacity: count)
        defer { stored.deallocate() }
        dtype.decode(UnsafeRawPointer(raw.baseAddress!), count: count, into: stored)
        // Chunk axis order[i] steps through the stored array along its axis i.
        let storedStrides = rowMajorStrides(order.map { shape[$0] })
        var strides = [Int](repeating: 0, count: shape.count)
        for (storedAxis, axis) in order.enumerated() { strides[axis] = storedStrides[storedAxis] }
        stridedCopy(extent: shape, from: stored, strides: strides, to: destination, strides: rowMajorStrides(shape))
    }

    /// The file of a chunk holding the `count` float64 `values` (row-major), as this pipeline's
    /// element type, compressed; throws naming the value the type cannot hold (its position in `values`).
    func encode(_ values: UnsafePointer<Double>, count: Int) throws(NPYDType.EncodeProblem) -> [UInt8] {
        guard case .elements(let dtype) = layout, order == nil else { preconditionFailure("blocktop writes plain C-order chunks") }
        var problem: NPYDType.EncodeProblem?
        var data = [UInt8](unsafeUninitializedCapacity: count * dtype.size) { buffer, initialized in
            problem = dtype.encode(values, count: count, into: buffer.baseAddress!)
            initialized = problem == nil ? buffer.count : 0
        }
        if let problem { throw problem }
        for codec in compressors { data = data.withUnsafeBytes { codec.encode($0) } }
        return data
    }
}

/// Zarr 3's `sharding_indexed`: a shard file holds inner chunks, each encoded by `inner`, and an
/// index (at the end or the start) of where each is, as (offset, byte count) pairs of uint64.
public struct ZarrSharding: Equatable, Sendable {
    public let innerChunkShape: [Int]
    public let inner: ZarrCodecPipeline
    /// The index's integers' byte order.
    public let indexByteOrder: NPYDType.ByteOrder
    /// Whether a CRC-32C follows the index (zarr-python's default), which is verified.
    public let indexChecksum: Bool
    public let indexAtEnd: Bool

    /// Bytes the index takes in the file for `innerChunks` inner chunks.
    func indexBytes(innerChunks: Int) -> Int { innerChunks * 16 + (indexChecksum ? 4 : 0) }
}

/// A compression or checksum stage over a chunk's bytes.
public enum ZarrBytesCodec: Equatable, Sendable {
    /// zstd, at a level (0 is zstd's default, 3).
    case zstd(level: Int)
    /// c-blosc 1.x: its buffers say how they were made, so reading needs no settings.
    case blosc
    /// deflate with a gzip header.
    case gzip
    /// deflate with a zlib header (numcodecs' `zlib`, in Zarr 2 stores).
    case zlib
    /// A CRC-32C after the data.
    case crc32c

    /// The bytes `input` decodes to, however many (a stage before the last).
    func decode(_ input: UnsafeRawBufferPointer) throws(ZarrCodecError) -> [UInt8] {
        switch self {
        case .zstd: return try Zstd.decompress(input)
        case .blosc: return try Blosc.decompress(input)
        case .gzip: return try Zlib.decompress(input, wrapper: .gzip, expectedSize: nil)
        case .zlib: return try Zlib.decompress(input, wrapper: .zlib, expectedSize: nil)
        case .crc32c: return Array(try CRC32C.verify(input))
        }
    }

    /// Decodes `input` into `output`, which it must fill exactly (the last stage: the chunk's elements).
    func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(ZarrCodecError) {
        switch self {
        case .zstd: try Zstd.decompress(input, into: output)
        case .blosc: try Blosc.decompress(input, into: output)
        case .gzip, .zlib:
            let bytes = try Zlib.decompress(input, wrapper: self == .gzip ? .gzip : .zlib, expectedSize: output.count)
            guard bytes.count == output.count else { throw ZarrCodecError.wrongSize(bytes.count, expected: output.count) }
            bytes.withUnsafeBytes { output.copyMemory(from: $0) }
        case .crc32c:
            let data = try CRC32C.verify(input)
            guard data.count == output.count else { throw ZarrCodecError.wrongSize(data.count, expected: output.count) }
            output.copyMemory(from: data)
        }
    }

    /// blocktop writes only zstd.
    func encode(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        guard case .zstd(let level) = self else { preconditionFailure("blocktop writes only zstd") }
        return Zstd.compress(input, level: level)
    }
}
