import BlocktopSupport

/// Text from the bridge or a cluster's web server, made safe to keep and show: at most a given
/// number of characters (an ellipsis marks the cut) and every control character escaped.
package enum UntrustedText {
    /// Task keys (the bridge cuts them at 1024 characters: longer ones are the same key to blocktop).
    package static let keyLimit = 1024
    /// Exception texts and the bridge's messages.
    package static let longLimit = 512
    /// Addresses, names, hosts, prefixes, states, versions.
    package static let shortLimit = 128

    /// `text` cut to `limit` characters with its control characters escaped.
    package static func clean(_ text: String, limit: Int = shortLimit) -> String {
        var cut = text
        if text.unicodeScalars.count > limit {
            cut = String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit - 1))) + "…"
        }
        return cut.escapingTerminalControls
    }
}
