/// A compressed format whose header records the decompressed size (a zstd frame, a blosc buffer),
/// so a chunk is decompressed into a buffer of exactly that size.
protocol SizeRecordingCompression {
    /// The decompressed size the header records; throws when the input is not of this format or
    /// records more than a chunk can hold.
    static func contentSize(_ input: UnsafeRawBufferPointer) throws(ZarrCodecError) -> Int
    /// Decompresses `input` into `output`, which must be of the recorded size.
    static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(ZarrCodecError)
}

extension SizeRecordingCompression {
    /// The decompressed bytes of `input`.
    static func decompress(_ input: UnsafeRawBufferPointer) throws(ZarrCodecError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: try contentSize(input))
        try output.withUnsafeMutableBufferPointer { (buffer) throws(ZarrCodecError) in try decompress(input, into: UnsafeMutableRawBufferPointer(buffer)) }
        return output
    }
}
