import ArrayFiles

/// libFuzzer entry point for the `.npy` header parser (`make fuzz`).
///
/// The input is the start of a file: `NPYHeader.requiredBytes` reads its preamble, then
/// `NPYHeader.parse` the header as `load('x.npy')` does before any block is read; on success the
/// header is encoded again for its shape and dtype and must parse back to the same. An
/// `NPYHeaderError` is the expected answer to bad input; a trap or crash is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPYHeader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard size <= 4096 else { return -1 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        _ = try NPYHeader.requiredBytes(bytes)
        let header = try NPYHeader.parse(bytes)
        let again = try NPYHeader.parse(NPYHeader.encode(shape: header.shape, dtype: header.dtype))
        if again.shape != header.shape || again.dtype != header.dtype { fatalError("header did not survive encoding: \(header)") }
        _ = header.dtype.description
    } catch {
        _ = error.description
    }
    return 0
}
