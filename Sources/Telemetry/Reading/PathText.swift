/// `path` (absolute) under `root`, without doubling the slash when `root` is `/`.
func under(_ root: String, _ path: String) -> String {
    root.hasSuffix("/") ? String(root.dropLast()) + path : root + path
}

extension String {
    /// The text without leading and trailing whitespace, for files that hold one value.
    var trimmed: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
