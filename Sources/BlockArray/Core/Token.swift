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

/// The text of block sizes for a token, exactly as `"\(sizes)"` writes it (`[[1000, 1000], [500]]`),
/// without the reflection that string interpolation of an array goes through: a million
/// blocks' sizes take milliseconds, not a third of a second.
package func tokenText(_ sizes: [[Int]]) -> String {
    var bytes: [UInt8] = [UInt8(ascii: "[")]
    bytes.reserveCapacity(2 + sizes.reduce(0) { $0 + 2 + $1.count * 4 })
    var digits = [UInt8](repeating: 0, count: 20)
    for (axis, list) in sizes.enumerated() {
        if axis > 0 { bytes += [UInt8(ascii: ","), UInt8(ascii: " ")] }
        bytes.append(UInt8(ascii: "["))
        for (position, value) in list.enumerated() {
            if position > 0 { bytes += [UInt8(ascii: ","), UInt8(ascii: " ")] }
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            var rest = value.magnitude, count = 0
            repeat {
                digits[count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            for digit in digits[0..<count].reversed() { bytes.append(digit) }
        }
        bytes.append(UInt8(ascii: "]"))
    }
    bytes.append(UInt8(ascii: "]"))
    return String(decoding: bytes, as: UTF8.self)
}
