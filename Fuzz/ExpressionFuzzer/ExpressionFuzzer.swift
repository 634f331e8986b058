import Expressions

/// libFuzzer entry point for the expression language (`make fuzz`).
///
/// The input, decoded as UTF-8 (invalid bytes become U+FFFD), is parsed and built
/// into its lazy array graph as `blocktop run EXPRESSION` does before anything runs:
/// `Program(_:defaults:)`, then on success what the command line reads of the result
/// (its size in bytes and the main array), on failure the error's message with its
/// caret line. An `ExpressionError` is the expected answer to bad input; a trap or crash
/// is a bug. Nothing is computed: no worker thread starts and no block is filled.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExpression(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    // Longer inputs only slow the search down; -1 keeps them out of the corpus.
    guard size <= 4096 else { return -1 }
    let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let program = try Program(source, defaults: Defaults(chunks: .uniform(1_000), seed: 0))
        _ = program.result.byteCount
        _ = program.mainArray.shape
    } catch {
        _ = error.description
    }
    return 0
}
