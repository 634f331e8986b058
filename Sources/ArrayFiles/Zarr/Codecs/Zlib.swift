import CZlib

/// zlib's deflate streams: the zlib format (numcodecs' `zlib`) and the gzip format (numcodecs'
/// `gzip`, Zarr 3's `gzip` codec). Neither records the decompressed size, so the output grows.
enum Zlib {
    /// Which wrapper the stream has.
    enum Wrapper: Int32 {
        /// windowBits 15: a zlib header and an Adler-32 checksum.
        case zlib = 15
        /// windowBits 31: a gzip header and a CRC-32.
        case gzip = 31
    }

    /// The bytes of the stream in `input`; throws when it is damaged or ends early, or decodes to
    /// more than `expectedSize` (when given), or to more than a chunk can hold.
    static func decompress(_ input: UnsafeRawBufferPointer, wrapper: Wrapper, expectedSize: Int?) throws(ZarrCodecError) -> [UInt8] {
        let name = wrapper == .zlib ? "zlib" : "gzip"
        let limit = expectedSize ?? ZarrArrayMetadata.maximumChunkElements * 8
        var stream = z_stream()
        guard bt_inflate_init2(&stream, wrapper.rawValue) == Z_OK else { throw ZarrCodecError("\(name): cannot start inflating") }
        defer { inflateEnd(&stream) }
        // Room for one byte past the limit, so that a stream that decodes to more is caught.
        var output = [UInt8](repeating: 0, count: min(limit, max(input.count * 4, 1 << 16)) + 1)
        var produced = 0
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        while true {
            if produced == output.count {
                guard output.count <= limit else {
                    throw expectedSize.map { ZarrCodecError("it decodes to more than the \($0) bytes its metadata needs") }
                        ?? ZarrCodecError("\(name): it decodes to more than a chunk can hold")
                }
                output.append(contentsOf: repeatElement(0, count: min(output.count, limit + 1 - output.count)))
            }
            let room = output.count - produced
            let status = output.withUnsafeMutableBytes { buffer in
                stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self) + produced
                stream.avail_out = uInt(room)
                return inflate(&stream, Z_NO_FLUSH)
            }
            produced += room - Int(stream.avail_out)
            if status == Z_STREAM_END { break }
            guard status == Z_OK || status == Z_BUF_ERROR else { throw ZarrCodecError("\(name): the stream is corrupt") }
            if stream.avail_in == 0 && produced < output.count { throw ZarrCodecError("\(name): the stream ends early (truncated?)") }
        }
        output.removeLast(output.count - produced)
        return output
    }
}
