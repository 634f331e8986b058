import CBlosc

/// c-blosc 1.x buffers, as numcodecs' `Blosc` and Zarr 3's `blosc` codec write them: a 16-byte
/// header (with the decompressed size) then the blocks. Shuffle, typesize and compressor are in
/// the header, so decoding needs none of the codec's settings.
enum Blosc: SizeRecordingCompression {
    /// Decompresses the buffer in `input` into `output`; throws when it is not a valid blosc
    /// buffer or holds another number of bytes than `output` has room for.
    static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(ZarrCodecError) {
        let size = try contentSize(input)
        guard size == output.count else { throw ZarrCodecError.wrongSize(size, expected: output.count) }
        guard size > 0 else { return }
        let result = blosc_decompress_ctx(input.baseAddress, output.baseAddress, size, 1)
        guard result == size else { throw ZarrCodecError("blosc: the buffer is corrupt (error \(result))") }
    }

    /// The decompressed size the buffer's header records, once the header is found consistent with the buffer.
    static func contentSize(_ input: UnsafeRawBufferPointer) throws(ZarrCodecError) -> Int {
        var size = 0
        guard input.count >= 16, blosc_cbuffer_validate(input.baseAddress, input.count, &size) == 0 else {
            throw ZarrCodecError("not a blosc buffer (or a truncated one)")
        }
        guard size <= ZarrArrayMetadata.maximumChunkElements * 8 else {
            throw ZarrCodecError("a blosc buffer of \(size) bytes, more than a chunk can hold")
        }
        return size
    }
}
