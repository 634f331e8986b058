/// Deterministic names for layers: an operation name plus a stable hash of
/// everything that defines the result (parameters and input names).
///
/// The hash is FNV-1a over the parts' UTF-8 bytes, so the same expression
/// gives the same name in every process, unlike Swift's seeded `Hasher`.
package func token(_ operation: String, _ parts: [String]) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for part in [operation] + parts {
        for byte in part.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        hash ^= 0xff  // separator, so ["ab","c"] and ["a","bc"] differ
        hash = hash &* 0x0000_0100_0000_01b3
    }
    let hex = String(hash, radix: 16)
    return "\(operation)-\(String(repeating: "0", count: 16 - hex.count))\(hex)"
}

/// A bit-exact text form of a Double for tokens (`0.1` and `0.1 + 1e-17` differ).
package func tokenText(_ value: Double) -> String {
    String(value.bitPattern, radix: 16)
}
