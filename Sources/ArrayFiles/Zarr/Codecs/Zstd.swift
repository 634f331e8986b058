import CZstd

/// One zstd frame per chunk, as numcodecs' `Zstd` and Zarr 3's `zstd` codec write them (the
/// frame records its decompressed size).
enum Zstd: SizeRecordingCompression {
    /// Decompresses the frame in `input` into `output`; throws when it is not zstd, is damaged, or
    /// holds another number of bytes than `output` has room for.
    static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(ZarrCodecError) {
        let size = try contentSize(input)
        guard size == output.count else { throw ZarrCodecError.wrongSize(size, expected: output.count) }
        let result = ZSTD_decompress(output.baseAddress, output.count, input.baseAddress, input.count)
        if ZSTD_isError(result) != 0 { throw ZarrCodecError("zstd: \(String(cString: ZSTD_getErrorName(result)))") }
        guard result == size else { throw ZarrCodecError.wrongSize(result, expected: size) }
    }

    /// The decompressed size the frame's header records.
    static func contentSize(_ input: UnsafeRawBufferPointer) throws(ZarrCodecError) -> Int {
        let contentSize = ZSTD_getFrameContentSize(input.baseAddress, input.count)
        // ZSTD_CONTENTSIZE_ERROR and ZSTD_CONTENTSIZE_UNKNOWN, macros Swift does not import.
        if contentSize == UInt64.max - 1 { throw ZarrCodecError("not a zstd frame (or a truncated one)") }
        if contentSize == UInt64.max { throw ZarrCodecError("a zstd frame without its decompressed size") }
        guard contentSize <= UInt64(ZarrArrayMetadata.maximumChunkElements) * 8 else {
            throw ZarrCodecError("a zstd frame of \(contentSize) bytes, more than a chunk can hold")
        }
        return Int(contentSize)
    }

    /// `input` as one zstd frame at `level` (0 is zstd's default, 3).
    static func compress(_ input: UnsafeRawBufferPointer, level: Int) -> [UInt8] {
        let bound = ZSTD_compressBound(input.count)
        return [UInt8](unsafeUninitializedCapacity: bound) { buffer, initialized in
            initialized = ZSTD_compress(buffer.baseAddress, bound, input.baseAddress, input.count, Int32(level))
            precondition(ZSTD_isError(initialized) == 0, "zstd cannot fail with a buffer of ZSTD_compressBound bytes")
        }
    }
}
