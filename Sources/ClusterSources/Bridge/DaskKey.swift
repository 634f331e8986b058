/// What a dask task key says about its task: `('matmul-3f2a', 0, 1)` is block [0, 1] of the
/// group `matmul-3f2a`, whose prefix (dask's `key_split`) is `matmul`.
///
/// The bridge sends these with every task; blocktop reads them from the key itself for a task
/// it learns of only from a transition.
package struct DaskKey: Equatable {
    package var group: String
    package var prefix: String
    /// The tuple's integers; empty for a string key.
    package var index: [Int]

    /// Blocks have at most this many axes; a longer tuple is no block index.
    static let maximumRank = 8

    package init(_ key: String) {
        var name = Substring(key)
        index = []
        if key.hasPrefix("("), key.hasSuffix(")") {
            let parts = key.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false)
            if let first = parts.first {
                name = first.trimmingCharacters(in: " '\"")
                let numbers = parts.dropFirst().compactMap { Int($0.trimmingCharacters(in: " ")) }
                if numbers.count == parts.count - 1, numbers.count <= Self.maximumRank { index = numbers }
            }
        }
        group = String(name)
        prefix = Self.prefix(of: name)
    }

    /// dask's `key_split`: the leading words of a name, up to the first that is not all letters
    /// or is an 8-letter hex-like token (`random_sample-5b2f…` is `random_sample`).
    static func prefix(of name: Substring) -> String {
        let words = name.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = words.first, !first.isEmpty else { return "other" }
        var result = String(first)
        for word in words.dropFirst() {
            let letters = !word.isEmpty && word.allSatisfy { $0.isASCII && $0.isLetter }
            let hexLike = word.count == 8 && word.allSatisfy { ("a"..."f").contains($0) }
            guard letters && !hexLike else { break }
            result += "-" + word
        }
        if result.count == 32 && result.allSatisfy(\.isHexDigit) { return "data" }
        return result
    }
}
