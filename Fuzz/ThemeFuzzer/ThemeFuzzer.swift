import Themes

/// libFuzzer entry point for btop-format theme files (`make fuzz`).
///
/// The input, decoded as UTF-8 (invalid bytes become U+FFFD), is parsed as a theme
/// file and, when it parses, resolved against the default theme into a `Theme`, as
/// `--theme FILE` does. A `ThemeError` is the expected answer to a bad file; a trap or
/// crash is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTheme(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    // Longer inputs only slow the search down; -1 keeps them out of the corpus.
    guard size <= 4096 else { return -1 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let file = try ThemeFile(parsing: text, file: "fuzz.theme")
        // Resolving traps when the default theme lacks a key; worker(_:) when no worker colour is left.
        _ = Theme(name: "fuzz", file: file).worker(size)
    } catch {
        _ = error.description
    }
    return 0
}
