/// A cursor over the bytes of a /proc file, for parsing numbers without building strings.
///
/// /proc files are ASCII: fields are separated by spaces or tabs and records by newlines.
struct ByteScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { position >= bytes.count }

    /// The byte at the cursor, or nil at the end.
    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    /// Skips spaces and tabs, not newlines.
    mutating func skipBlanks() {
        while position < bytes.count, bytes[position] == UInt8(ascii: " ") || bytes[position] == UInt8(ascii: "\t") {
            position += 1
        }
    }

    /// Moves past the next newline, or to the end.
    mutating func skipLine() {
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: "\n") { return }
        }
    }

    /// Moves past `literal` if the bytes at the cursor start with it, and says whether they did.
    mutating func consume(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - position >= count else { return false }
        let start = literal.utf8Start
        for offset in 0..<count where bytes[position + offset] != start[offset] {
            return false
        }
        position += count
        return true
    }

    /// Reads an unsigned decimal number after optional blanks.
    ///
    /// Returns nil, with the cursor after the blanks, when no digit follows or the number
    /// does not fit in 64 bits.
    mutating func unsignedInteger() -> UInt64? {
        skipBlanks()
        var value: UInt64 = 0
        var cursor = position
        while cursor < bytes.count, let digit = Self.digitValue(bytes[cursor]) {
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = shifted.addingReportingOverflow(digit)
            if overflowA || overflowB { return nil }
            value = sum
            cursor += 1
        }
        guard cursor > position else { return nil }
        position = cursor
        return value
    }

    /// Reads a decimal number with an optional leading minus sign, after optional blanks.
    mutating func signedInteger() -> Int64? {
        skipBlanks()
        let start = position
        let negative = consume("-")
        guard let magnitude = unsignedInteger(), magnitude <= UInt64(Int64.max) else {
            position = start
            return nil
        }
        return negative ? -Int64(magnitude) : Int64(magnitude)
    }

    /// Moves past the next run of bytes that are neither blanks nor a newline.
    mutating func skipWord() {
        skipBlanks()
        while let byte = current, byte != UInt8(ascii: " "), byte != UInt8(ascii: "\t"), byte != UInt8(ascii: "\n") {
            position += 1
        }
    }

    /// The line the cursor is on, for error messages, cut at 80 characters.
    var currentLine: String {
        var start = min(position, bytes.count)
        while start > 0, bytes[start - 1] != UInt8(ascii: "\n") { start -= 1 }
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "\n"), end - start < 80 { end += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    private static func digitValue(_ byte: UInt8) -> UInt64? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? UInt64(byte - UInt8(ascii: "0")) : nil
    }
}

extension String {
    /// Calls `body` with this string's UTF-8 bytes, which the parsers read.
    mutating func withBytes<Result>(
        _ body: (UnsafeBufferPointer<UInt8>) throws(TelemetryError) -> Result
    ) throws(TelemetryError) -> Result {
        // withUTF8 only rethrows, which would widen the error type; carry it in a Result instead.
        let outcome = withUTF8 { bytes in
            Swift.Result { () throws(TelemetryError) -> Result in try body(bytes) }
        }
        return try outcome.get()
    }
}
